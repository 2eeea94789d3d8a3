using WebRtcChat.Components.Configuration;

namespace WebRtcChat.Components.Lobby;

/// <summary>What a host's console lists, and which of those it may call or dismiss, as the configuration is now.</summary>
public static class Visibility
{
    /// <summary>
    /// The visitors a host's console lists, oldest first: those who asked for this host, with "permitted" worked out
    /// against the host's current list; and, for the super administrator, also those who named nobody known, or a
    /// host since removed (shown with no host: "Unknown administrator").
    /// </summary>
    public static IEnumerable<ListedVisitor> For(LobbySnapshot snapshot, AdministratorOptions host, IReadOnlyList<AdministratorOptions> administrators)
    {
        foreach (var visitor in snapshot.Visitors)
        {
            if (string.Equals(visitor.HostName, host.Name, StringComparison.Ordinal))
            {
                yield return new ListedVisitor(visitor, VisitorNames.IsPermitted(host.PermittedVisitors, visitor.Name));
            }
            else if (host.SuperAdministrator && (visitor.HostName is null || !administrators.Any(a => a.Name == visitor.HostName)))
            {
                yield return new ListedVisitor(visitor with { HostName = null }, Permitted: true);
            }
        }
    }

    /// <summary>Whether the host's console lists the visitor, and so may dismiss them.</summary>
    public static bool MayDismiss(LobbySnapshot snapshot, AdministratorOptions host, IReadOnlyList<AdministratorOptions> administrators, string visitorId) =>
        For(snapshot, host, administrators).Any(v => v.Visitor.Id == visitorId);

    /// <summary>
    /// Whether the host may send the visitor a line: any visitor its console lists, as for Dismiss (a visitor of an
    /// unknown host may be told why they wait, or that nobody will call).
    /// </summary>
    public static bool MayMessage(LobbySnapshot snapshot, AdministratorOptions host, IReadOnlyList<AdministratorOptions> administrators, string visitorId) =>
        MayDismiss(snapshot, host, administrators, visitorId);

    /// <summary>
    /// Whether the visitor is the host's own to call: listed for them, and asked for them by name (a visitor of an
    /// unknown host can be dismissed, not called). Whether the name is permitted is the caller's next check.
    /// </summary>
    public static bool IsOwnVisitor(LobbySnapshot snapshot, AdministratorOptions host, IReadOnlyList<AdministratorOptions> administrators, Visitor visitor) =>
        visitor.HostName == host.Name && MayDismiss(snapshot, host, administrators, visitor.Id);
}
