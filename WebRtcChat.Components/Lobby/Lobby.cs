using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using WebRtcChat.Components.Circuits;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Security;

namespace WebRtcChat.Components.Lobby;

/// <summary>
/// The shared state of the whole server: the waiting room, the open consoles and the calls, behind one short lock.
/// Every operation runs through <see cref="Change{T}"/>: under the lock it changes the parts, writes the messages it
/// produced and then, if anything a console shows changed, the new immutable <see cref="LobbySnapshot"/> into the
/// circuits' inboxes (never running their code); after the lock it reports failed attempts. Rules that cross the
/// parts live here: removing a visitor ends their call; ending a call puts the visitor back to waiting.
/// </summary>
public sealed partial class Lobby : IDisposable
{
    private readonly WebRtcChatSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger<Lobby> _logger;
    private readonly IFailedAttemptSink _attempts;
    private readonly ITimer _sweeper;
    private readonly IDisposable _settingsSubscription;
    private readonly Lock _gate = new();
    private readonly WaitingRoom _room = new();
    private readonly ConsoleSessions _consoles = new();
    private readonly CallBook _calls = new();
    private readonly Inboxes _inboxes = new();
    private readonly Dictionary<string, DateTimeOffset> _checksStarted = new(StringComparer.Ordinal); // visitor id → last check minted
    private readonly Dictionary<string, string> _notes = new(StringComparer.Ordinal); // visitor id → the host's last line, for a reloaded page
    private readonly RequestRate _noteRate = new(); // lines sent per visitor
    private LobbySnapshot _current = LobbySnapshot.Empty;

    public Lobby(WebRtcChatSettings settings, TimeProvider time, ILogger<Lobby> logger, IFailedAttemptSink attempts)
    {
        (_settings, _time, _logger, _attempts) = (settings, time, logger, attempts);
        _sweeper = time.CreateTimer(_ => Sweep(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        _settingsSubscription = settings.Subscribe(CloseStaleConsoles);
    }

    /// <summary>How long a call may ring before it is given up.</summary>
    public static TimeSpan RingTimeout => CallBook.RingTimeout;

    /// <summary>The lobby now.</summary>
    public LobbySnapshot Current => _current;

    /// <summary>The circuit's page follows the lobby: its inbox gets the current snapshot at once, then every later one.</summary>
    public void Attach(LobbyInbox inbox) => Change(_ => _inboxes.Attach(inbox, _current));

    /// <summary>The circuit is gone: its inbox hears nothing more.</summary>
    public void Detach(LobbyInbox inbox) => Change(_ => _inboxes.Detach(inbox));

    /// <summary>The page no longer follows this party (it left the list, or another tab took the place).</summary>
    public void Unfollow(string partyId, LobbyInbox inbox) => Change(_ => _inboxes.Unfollow(partyId, inbox));

    /// <summary>
    /// Removes visitors whose grace ran out, calls that rang too long and answered calls whose browsers missed a
    /// deadline to connect. Runs every second.
    /// </summary>
    public void Sweep() => Change(change =>
    {
        var now = _time.GetUtcNow();
        foreach (var id in _room.ExpiredAway(now))
        {
            RemoveVisitor(id, null, change);
        }

        foreach (var call in _calls.Unanswered(now))
        {
            EndCall(call.Id, "no answer", change);
        }

        foreach (var (call, failure) in _calls.Overdue(now, _settings.Current.Ice))
        {
            FailCall(call.Id, failure, change);
        }
    });

    /// <inheritdoc />
    public void Dispose()
    {
        _sweeper.Dispose();
        _settingsSubscription.Dispose();
    }

    private void Change(Action<LobbyChange> operation) => Change(change =>
    {
        operation(change);
        return true;
    });

    // The one way state changes: under the lock, the operation, then what it sends, then the snapshot it makes; the
    // failed attempts after the lock, since recording one writes to disk.
    private T Change<T>(Func<LobbyChange, T> operation)
    {
        var change = new LobbyChange();
        T result;
        lock (_gate)
        {
            result = operation(change);

            // Current changes before anything is written: a page that reads a message at once (on another thread)
            // and looks at Current finds the state the message comes from, not the one before it.
            if (change.Changed)
            {
                _current = new LobbySnapshot(_current.Version + 1, [.. _room.Visitors], [.. _calls.Calls.OrderBy(c => c.StartedAt)],
                    [.. _consoles.Sessions.OrderBy(h => h.OpenedAt)], [.. _calls.History]);
            }

            foreach (var (to, message) in change.Messages)
            {
                Deliver(to, message);
            }

            foreach (var party in change.Gone)
            {
                _inboxes.Forget(party);
            }

            if (change.Changed)
            {
                _inboxes.ToAll(_current);
            }
        }

        foreach (var (kind, address, detail) in change.Attempts)
        {
            _attempts.Report(kind, address, detail);
        }

        return result;
    }

    // A call's own messages go only to the page in the call: the console, or the visitor's tab that answered.
    private void Deliver(string to, PartyMessage message)
    {
        if (message is not CallMessage { CallId: var callId })
        {
            _inboxes.ToParty(to, message);
        }
        else if (_calls.Find(callId) is { } call)
        {
            (call.VisitorId == to ? _calls.AnsweredBy(callId) : _consoles.InboxOf(to))?.Post(message);
        }
    }

    private static string NewId() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
}
