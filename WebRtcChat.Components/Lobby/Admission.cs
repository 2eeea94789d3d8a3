using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Security;

namespace WebRtcChat.Components.Lobby;

/// <summary>What becomes of a Request chat: for which host, whether it is queued, and what is recorded as a failed attempt.</summary>
/// <param name="Host">The host asked for, or null when nobody known was named.</param>
/// <param name="MayQueue">False when the host's own country list excludes the visitor (they see the same page).</param>
/// <param name="Attempt">The failed attempt to record (kind and detail), if any; none of these is a strike.</param>
internal sealed record AdmissionDecision(AdministratorOptions? Host, bool MayQueue, (string Kind, string Detail)? Attempt);

/// <summary>Who a visitor's request is for, and whether that host takes it, as the configuration is now.</summary>
internal static class Admission
{
    public static AdmissionDecision Decide(WebRtcChatOptions options, VisitorRequest request)
    {
        var host = ResolveHost(options, request.RequestedHost);
        if (host is null)
        {
            return new(null, true, (AttemptKinds.UnknownAdministrator, $"asked for \"{request.RequestedHost}\" as {request.Name}"));
        }

        if (!IsAllowedFor(host, options.Geoblocking, request.CountryCode))
        {
            return new(host, false, (AttemptKinds.Geoblocked, $"{request.CountryCode ?? "unknown"} not allowed for {host.Name}: {request.Name}"));
        }

        return VisitorNames.IsPermitted(host.PermittedVisitors, request.Name)
            ? new(host, true, null)
            : new(host, true, (AttemptKinds.NotPermittedName, $"{request.Name} (for {host.Name})"));
    }

    /// <summary>A host's own <c>AllowedCountries</c> narrows the global list; null means no narrowing.</summary>
    public static bool IsAllowedFor(AdministratorOptions host, GeoblockingOptions geo, string? countryCode)
    {
        if (host.AllowedCountries is not { } allowed)
        {
            return true;
        }

        return countryCode is null
            ? geo.AllowUnknownAddresses
            : allowed.Contains(countryCode, StringComparer.OrdinalIgnoreCase);
    }

    // With one host, every visitor is theirs; with several, the one whose name was typed (as names are matched).
    private static AdministratorOptions? ResolveHost(WebRtcChatOptions options, string? requested)
    {
        if (options.Administrators.Count == 1)
        {
            return options.Administrators[0];
        }

        if (string.IsNullOrWhiteSpace(requested))
        {
            return null;
        }

        var key = VisitorNames.MatchKey(requested);
        return options.Administrators.FirstOrDefault(a => VisitorNames.MatchKey(a.Name) == key);
    }
}
