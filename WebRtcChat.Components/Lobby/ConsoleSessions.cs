using WebRtcChat.Components.Circuits;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Security;

namespace WebRtcChat.Components.Lobby;

/// <summary>
/// The open consoles, each with the circuit it lives in. A console exists only while its path is configured.
/// Not thread-safe: <see cref="Lobby"/> calls it under its lock.
/// </summary>
internal sealed class ConsoleSessions
{
    private readonly Dictionary<string, (HostSession Session, LobbyInbox Inbox)> _sessions = new(StringComparer.Ordinal);

    public IEnumerable<HostSession> Sessions => _sessions.Values.Select(s => s.Session);

    public HostSession? Find(string id) => _sessions.TryGetValue(id, out var open) ? open.Session : null;

    public LobbyInbox? InboxOf(string id) => _sessions.TryGetValue(id, out var open) ? open.Inbox : null;

    /// <summary>True when the console path is, right now, this host's.</summary>
    public static bool IsConfigured(WebRtcChatOptions options, string hostName, string pathKey) =>
        options.Administrators.Any(a => a.Name == hostName && ConsolePaths.Key(a.ConsolePath) == pathKey);

    public void Open(HostSession session, LobbyInbox inbox) => _sessions[session.Id] = (session, inbox);

    public bool Close(string id) => _sessions.Remove(id);

    /// <summary>Records whether the console's page is visible; false when nothing changed.</summary>
    public bool SetVisible(string id, bool visible)
    {
        if (!_sessions.TryGetValue(id, out var open) || open.Session.Visible == visible)
        {
            return false;
        }

        _sessions[id] = (open.Session with { Visible = visible }, open.Inbox);
        return true;
    }

    /// <summary>The consoles whose path (or host) the configuration no longer has.</summary>
    public IReadOnlyList<HostSession> Stale(WebRtcChatOptions options)
    {
        var current = options.Administrators.Select(a => (a.Name, ConsolePaths.Key(a.ConsolePath))).ToHashSet();
        return [.. Sessions.Where(s => !current.Contains((s.HostName, s.PathKey)))];
    }
}
