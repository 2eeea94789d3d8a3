using Microsoft.Extensions.Logging;
using WebRtcChat.Components.Circuits;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Security;

namespace WebRtcChat.Components.Lobby;

/// <summary>The consoles' side of the lobby: open and close consoles, dismiss visitors and send them a line, close consoles whose path went.</summary>
public sealed partial class Lobby
{
    /// <summary>
    /// A console opened through <paramref name="consolePath"/> in the circuit of <paramref name="page"/>. Null when
    /// that path is no longer this host's (a page loaded before the configuration changed).
    /// </summary>
    public HostSession? OpenConsole(string hostName, string consolePath, LobbyInbox page)
    {
        var session = new HostSession(NewId(), hostName, ConsolePaths.Key(consolePath), _time.GetUtcNow());
        return Change(change =>
        {
            // Checked under the lock that closing stale consoles takes, so a change cannot slip in between.
            if (!ConsoleSessions.IsConfigured(_settings.Current, hostName, session.PathKey))
            {
                return null;
            }

            _consoles.Open(session, page);
            _inboxes.Follow(session.Id, page);
            change.Changed = true;
            return session;
        });
    }

    /// <summary>
    /// The console's page is now visible or hidden (a tab switched, a screen locked). Alerts to the host's phone wait
    /// while one of their consoles is visible, since it chimes by itself (<c>AdministratorAlertsOptions.WhileConsoleVisible</c>).
    /// </summary>
    public void SetConsoleVisible(string sessionId, bool visible) => Change(change => change.Changed |= _consoles.SetVisible(sessionId, visible));

    /// <summary>A console closed; a call it held ends.</summary>
    public void CloseConsole(string sessionId) => Change(change => CloseSession(sessionId, "the host left", change));

    /// <summary>
    /// The host pressed Dismiss: the visitor is told the host is not available, with the reason typed if any, and
    /// leaves the list. False, and nothing done, when the console may not dismiss them or the reason cannot be used
    /// (see <see cref="HostNotes.TryNormalizeReason"/>).
    /// </summary>
    public bool Dismiss(string sessionId, string visitorId, string? reason = null) => Change(change =>
    {
        var administrators = _settings.Current.Administrators;
        if (HostOf(sessionId, administrators) is not { } host || !Visibility.MayDismiss(_current, host, administrators, visitorId)
            || !HostNotes.TryNormalizeReason(reason, out var cleanReason, out _))
        {
            return false;
        }

        RemoveVisitor(visitorId, "dismissed", change);
        change.Send(visitorId, new DismissedMessage(cleanReason)); // after the end of a call it rang for: that explains less
        _logger.LogDebug("Console {SessionId} dismissed visitor {VisitorId} {With} a reason", sessionId, visitorId, cleanReason is null ? "without" : "with");
        return true;
    });

    /// <summary>
    /// The host sends a visitor their console lists one short line; it replaces the one before on the visitor's page,
    /// and a reloaded page shows it again. Only that visitor's pages hear it, and the text never reaches a log.
    /// </summary>
    public NoteOutcome SendNote(string sessionId, string visitorId, string? text) => Change(change =>
    {
        var administrators = _settings.Current.Administrators;
        if (HostOf(sessionId, administrators) is not { } host || !Visibility.MayMessage(_current, host, administrators, visitorId))
        {
            return NoteOutcome.NotYours;
        }

        if (!HostNotes.TryNormalize(text, out var note, out _))
        {
            return NoteOutcome.Invalid;
        }

        if (!_noteRate.TryCount(visitorId, HostNotes.MaxPerWindow, HostNotes.Window, _time.GetUtcNow()))
        {
            return NoteOutcome.TooSoon;
        }

        _notes[visitorId] = note;
        change.Send(visitorId, new HostNoteMessage(note));
        _logger.LogDebug("Console {SessionId} sent visitor {VisitorId} a line of {Length} characters", sessionId, visitorId, note.Length);
        return NoteOutcome.Sent;
    });

    // When the configuration changes, every console whose path (or host) is gone is closed at once: a console path
    // that leaked and was changed must not keep working in a tab that was already open.
    private void CloseStaleConsoles(WebRtcChatOptions options)
    {
        var closed = Change(change =>
        {
            var stale = _consoles.Stale(options);
            foreach (var session in stale)
            {
                change.Send(session.Id, new ConsoleClosedMessage());
                CloseSession(session.Id, "the host left", change);
            }

            return stale.Count;
        });
        if (closed > 0)
        {
            _logger.LogInformation("Closed {Count} console(s) whose path is no longer configured", closed);
        }
    }

    // The administrator an open console belongs to, as the configuration is now.
    private AdministratorOptions? HostOf(string sessionId, IReadOnlyList<AdministratorOptions> administrators) =>
        _consoles.Find(sessionId) is { } session ? administrators.FirstOrDefault(a => a.Name == session.HostName) : null;

    private void CloseSession(string sessionId, string reason, LobbyChange change)
    {
        if (!_consoles.Close(sessionId))
        {
            return;
        }

        foreach (var call in _calls.Calls.Where(c => c.HostSessionId == sessionId).ToList())
        {
            EndCall(call.Id, reason, change);
        }

        change.Changed = true;
        change.Gone.Add(sessionId);
    }
}
