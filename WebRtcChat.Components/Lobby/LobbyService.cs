using System.Collections.Immutable;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Security;

namespace WebRtcChat.Components.Lobby;

/// <summary>
/// The one owner of the waiting room: visitors, open consoles and calls. Every change happens under a short lock and
/// publishes a new immutable <see cref="LobbySnapshot"/>. A subscriber gets the current snapshot at once and then every
/// later one, in version order, so there is no gap between reading and subscribing. Messages for one party
/// (signaling, dismissal, end of call) go only to that party's subscribers. A subscriber that throws is logged and
/// never disturbs the others or the caller.
/// </summary>
public sealed class LobbyService : IDisposable
{
    /// <summary>How long a call may ring before it is given up.</summary>
    public static readonly TimeSpan RingTimeout = TimeSpan.FromSeconds(60);

    private readonly WebRtcChatSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger<LobbyService> _logger;
    private readonly IFailedAttemptSink _attempts;
    private readonly ITimer _sweeper;
    private readonly IDisposable _settingsSubscription;
    private readonly Lock _gate = new();
    private readonly OrderedDictionary<string, Visitor> _visitors = new(StringComparer.Ordinal); // in order of arrival
    private readonly Dictionary<string, string> _resumeTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _awayUntil = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _owners = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CallInfo> _calls = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HostSession> _hosts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ImmutableArray<Subscriber<PartyMessage>>> _parties = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(string To, PartyMessage Message)>> _callLogs = new(StringComparer.Ordinal);
    private readonly RequestRate _requestRate = new();
    private ImmutableArray<Subscriber<LobbySnapshot>> _subscribers = [];
    private LobbySnapshot _current = LobbySnapshot.Empty;

    public LobbyService(WebRtcChatSettings settings, TimeProvider time, ILogger<LobbyService> logger, IFailedAttemptSink attempts)
    {
        _settings = settings;
        _time = time;
        _logger = logger;
        _attempts = attempts;
        _sweeper = time.CreateTimer(_ => Sweep(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        _settingsSubscription = settings.Subscribe(CloseStaleConsoles);
    }

    /// <summary>The lobby now.</summary>
    public LobbySnapshot Current => _current;

    /// <summary>Calls <paramref name="onChange"/> with the current snapshot now and with every later one.</summary>
    public IDisposable Subscribe(Action<LobbySnapshot> onChange)
    {
        var subscriber = new Subscriber<LobbySnapshot>(onChange, this);
        LobbySnapshot current;
        lock (_gate)
        {
            _subscribers = _subscribers.Add(subscriber);
            current = _current;
        }

        subscriber.Deliver(current, current.Version);
        return subscriber;
    }

    /// <summary>Calls <paramref name="onMessage"/> with every message for the party (a visitor id or a console session id).</summary>
    public IDisposable SubscribeParty(string partyId, Action<PartyMessage> onMessage)
    {
        var subscriber = new Subscriber<PartyMessage>(onMessage, this, partyId);
        lock (_gate)
        {
            _parties[partyId] = _parties.GetValueOrDefault(partyId, []).Add(subscriber);
        }

        return subscriber;
    }

    /// <summary>The most signaling messages kept for one call, for a side whose page is not listening yet.</summary>
    public const int MaxCallLog = 1000;

    /// <summary>The most characters of payload kept for one call, for a side whose page is not listening yet.</summary>
    public const int MaxCallLogCharacters = 1_000_000;

    /// <summary>
    /// Calls <paramref name="onMessage"/> with every signaling and media message of the call for the party: first
    /// those sent before this subscription (a party's page may start listening a moment after the other side has
    /// already sent its offer), then every later one, in order.
    /// </summary>
    public IDisposable SubscribeCall(string callId, string partyId, Action<PartyMessage> onMessage)
    {
        var subscriber = new Subscriber<PartyMessage>(onMessage, this, CallKey(callId, partyId));
        List<PartyMessage> earlier;
        using (subscriber.HoldDeliveries())
        {
            lock (_gate)
            {
                _parties[subscriber.PartyId!] = _parties.GetValueOrDefault(subscriber.PartyId!, []).Add(subscriber);
                earlier = [.. _callLogs.GetValueOrDefault(callId, []).Where(m => m.To == partyId).Select(m => m.Message)];
            }

            foreach (var message in earlier)
            {
                subscriber.DeliverHeld(message);
            }
        }

        return subscriber;
    }

    /// <summary>
    /// Puts a visitor in the list, unless a bound is reached (the lobby's size, the visitors waiting from one address,
    /// or the requests one address made within <c>Lobby.RequestWindow</c>) or the host's own country list excludes
    /// them; the visitor sees the same waiting page either way. Unknown hosts, names not on the host's list, full lobbies and
    /// narrowed-out countries are reported as failed attempts (none of them is a strike).
    /// </summary>
    public VisitorTicket Join(VisitorRequest request)
    {
        var options = _settings.Current;
        var host = ResolveHost(options, request.RequestedHost);
        var id = NewId();
        if (host is null)
        {
            _attempts.Report(AttemptKinds.UnknownAdministrator, request.Address, $"asked for \"{request.RequestedHost}\" as {request.Name}");
        }
        else if (!IsAllowedFor(host, options.Geoblocking, request.CountryCode))
        {
            _attempts.Report(AttemptKinds.Geoblocked, request.Address, $"{request.CountryCode ?? "unknown"} not allowed for {host.Name}: {request.Name}");
            return new VisitorTicket(id, null, Queued: false);
        }
        else if (!VisitorNames.IsPermitted(host.PermittedVisitors, request.Name))
        {
            _attempts.Report(AttemptKinds.NotPermittedName, request.Address, $"{request.Name} (for {host.Name})");
        }

        VisitorTicket ticket;
        lock (_gate)
        {
            var waiting = _visitors.Count;
            var client = ClientKeys.Of(request.Address);
            var fromAddress = _visitors.Values.Count(v => ClientKeys.Of(v.Address) == client);
            if (waiting >= options.Lobby.MaxWaiting || fromAddress >= options.Lobby.MaxWaitingPerAddress
                || !_requestRate.TryCount(client, options.Lobby.MaxRequestsPerAddress, options.Lobby.RequestWindow, _time.GetUtcNow()))
            {
                ticket = new VisitorTicket(id, null, Queued: false);
            }
            else
            {
                var visitor = new Visitor(id, request.Name, request.RequestedHost, host?.Name,
                    host is null || VisitorNames.IsPermitted(host.PermittedVisitors, request.Name),
                    request.Address, request.Country, request.City, BrowserSummary.Describe(request.UserAgent),
                    _time.GetUtcNow(), VisitorStatus.Waiting, null);
                _visitors[id] = visitor;
                if (request.Owner is not null)
                {
                    _owners[id] = request.Owner;
                }

                ticket = new VisitorTicket(id, NewId(), Queued: true);
                _resumeTokens[ticket.ResumeToken!] = id;
                Publish();
            }
        }

        if (!ticket.Queued)
        {
            _attempts.Report(AttemptKinds.LobbyFull, request.Address, request.Name);
            return ticket;
        }

        Flush();
        _logger.LogInformation("Visitor {VisitorId} from {Address} is waiting{Unknown}", id, request.Address,
            host is null ? " (for an unknown administrator)" : "");
        return ticket;
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

    /// <summary>
    /// A reloaded visitor page takes back its place with the token it kept; null when the place is gone. The place
    /// then belongs to <paramref name="owner"/> (the new page's circuit), so the old circuit ending later loses nothing.
    /// </summary>
    public VisitorTicket? Resume(string? resumeToken, string? owner = null)
    {
        if (string.IsNullOrEmpty(resumeToken) || resumeToken.Length > 64)
        {
            return null;
        }

        string? id;
        lock (_gate)
        {
            if (!_resumeTokens.TryGetValue(resumeToken, out id) || !_visitors.TryGetValue(id, out var visitor))
            {
                return null;
            }

            _awayUntil.Remove(id);
            if (owner is not null)
            {
                _owners[id] = owner;
            }

            if (visitor.Status == VisitorStatus.Away)
            {
                _visitors[id] = visitor with { Status = VisitorStatus.Waiting };
                Publish();
            }
        }

        Flush();
        return new VisitorTicket(id, resumeToken, Queued: true);
    }

    /// <summary>The visitor pressed Cancel, or asked again after a call: they leave the list at once.</summary>
    public void Leave(string visitorId)
    {
        List<(string, PartyMessage)> messages = [];
        lock (_gate)
        {
            if (RemoveVisitor(visitorId, "the visitor left", messages))
            {
                Publish();
            }
        }

        Flush(messages);
    }

    /// <summary>
    /// The visitor's page went away (tab closed, reload, lost network). Any call ends at once; the place in the list
    /// is kept for <c>Lobby.ReconnectGrace</c> in case the page comes back.
    /// </summary>
    public void VisitorGone(string visitorId, string? owner = null)
    {
        List<(string, PartyMessage)> messages = [];
        var keptByAnother = false;
        lock (_gate)
        {
            if (!_visitors.TryGetValue(visitorId, out var visitor))
            {
                return;
            }

            // The call ends if this page was in it (a duplicated tab shares the place but not the call).
            if (visitor.CallId is { } callId && _calls.TryGetValue(callId, out var call) && InCall(call, owner))
            {
                EndCall(callId, "the visitor left", messages);
                visitor = _visitors[visitorId];
            }

            if (owner is not null && visitor.CallId is { } ongoing && _calls.TryGetValue(ongoing, out var kept)
                && kept.VisitorCircuit is { } answering && answering != owner
                && _owners.TryGetValue(visitorId, out var holder) && holder == owner)
            {
                // The duplicated tab holding the place went while the tab that answered is in the call: the place is
                // that tab's again. (A tab that no longer held the place gives nothing away.)
                _owners[visitorId] = answering;
            }

            if (owner is not null && _owners.TryGetValue(visitorId, out var current) && current != owner)
            {
                // Another page has taken this place since: it keeps it.
                if (messages.Count > 0)
                {
                    Publish();
                }

                keptByAnother = true;
            }
            else
            {
                var grace = _settings.Current.Lobby.ReconnectGrace;
                if (grace <= TimeSpan.Zero)
                {
                    RemoveVisitor(visitorId, "the visitor left", messages);
                }
                else
                {
                    _visitors[visitorId] = visitor with { Status = VisitorStatus.Away };
                    _awayUntil[visitorId] = _time.GetUtcNow() + grace;
                }

                Publish();
            }
        }

        if (keptByAnother && messages.Count == 0)
        {
            return;
        }

        Flush(messages);
    }

    /// <summary>
    /// A party's connection has been down for a while (its page may come back, but media negotiation cannot go on):
    /// any call it is in ends, so the other side is not left hanging. The party otherwise keeps its place.
    /// </summary>
    public void EndCallsOf(string partyId, string reason, string? circuit = null)
    {
        List<(string, PartyMessage)> messages = [];
        lock (_gate)
        {
            var calls = _calls.Values.Where(c => c.HostSessionId == partyId || (c.VisitorId == partyId && InCall(c, circuit))).ToList();
            if (calls.Count == 0)
            {
                return;
            }

            foreach (var call in calls)
            {
                EndCall(call.Id, reason, messages);
            }

            Publish();
        }

        Flush(messages);
    }

    /// <summary>
    /// A console opened through <paramref name="consolePath"/>. Null when that path is no longer this host's (a page
    /// loaded before the configuration changed): a console exists only while its path does.
    /// </summary>
    public HostSession? OpenConsole(string hostName, string consolePath)
    {
        var key = ConsolePaths.Key(consolePath);
        var session = new HostSession(NewId(), hostName, key, _time.GetUtcNow());
        lock (_gate)
        {
            // Checked under the lock that closing stale consoles takes, so a change cannot slip in between.
            if (!_settings.Current.Administrators.Any(a => a.Name == hostName && ConsolePaths.Key(a.ConsolePath) == key))
            {
                return null;
            }

            _hosts[session.Id] = session;
            Publish();
        }

        Flush();
        return session;
    }

    // When the configuration changes, every console whose path (or host) is gone is closed at once: a console path
    // that leaked and was changed must not keep working in a tab that was already open.
    private void CloseStaleConsoles(WebRtcChatOptions options)
    {
        var current = options.Administrators.Select(a => (a.Name, ConsolePaths.Key(a.ConsolePath))).ToHashSet();
        List<(string, PartyMessage)> messages = [];
        lock (_gate)
        {
            var stale = _hosts.Values.Where(h => !current.Contains((h.HostName, h.PathKey))).ToList();
            if (stale.Count == 0)
            {
                return;
            }

            foreach (var session in stale)
            {
                _hosts.Remove(session.Id);
                foreach (var call in _calls.Values.Where(c => c.HostSessionId == session.Id).ToList())
                {
                    EndCall(call.Id, "the host left", messages);
                }

                messages.Add((session.Id, new ConsoleClosedMessage()));
            }

            Publish();
        }

        _logger.LogInformation("Closed {Count} console(s) whose path is no longer configured", messages.Count(m => m.Item2 is ConsoleClosedMessage));
        Flush(messages);
    }

    /// <summary>A console closed; a call it held ends.</summary>
    public void CloseConsole(string sessionId)
    {
        List<(string, PartyMessage)> messages = [];
        lock (_gate)
        {
            if (!_hosts.Remove(sessionId))
            {
                return;
            }

            foreach (var call in _calls.Values.Where(c => c.HostSessionId == sessionId).ToList())
            {
                EndCall(call.Id, "the host left", messages);
            }

            Publish();
        }

        Flush(messages);
    }

    /// <summary>The host pressed Call. The server decides, whatever the browser sent: only a waiting, permitted visitor
    /// of this host can be called, and a host has one call at a time.</summary>
    public (CallRefusal Refusal, CallInfo? Call) Call(string sessionId, string visitorId)
    {
        var result = CallUnderLock(sessionId, visitorId);
        Flush();
        return result;
    }

    private (CallRefusal Refusal, CallInfo? Call) CallUnderLock(string sessionId, string visitorId)
    {
        lock (_gate)
        {
            if (!_hosts.TryGetValue(sessionId, out var session) || !_visitors.TryGetValue(visitorId, out var visitor)
                || _settings.Current.Administrators.FirstOrDefault(a => a.Name == session.HostName) is not { } host
                || !_current.VisibleTo(host, _settings.Current.Administrators).Any(v => v.Id == visitorId) || visitor.HostName != host.Name)
            {
                return (CallRefusal.NotYours, null);
            }

            if (!VisitorNames.IsPermitted(host.PermittedVisitors, visitor.Name))
            {
                _logger.LogWarning("Refused a call from console {SessionId} to visitor {VisitorId}: name not permitted", sessionId, visitorId);
                return (CallRefusal.NotPermitted, null);
            }

            if (_calls.Values.Any(c => c.HostName == host.Name))
            {
                return (CallRefusal.Busy, null);
            }

            if (visitor.Status != VisitorStatus.Waiting)
            {
                return (CallRefusal.NotWaiting, null);
            }

            var call = new CallInfo(NewId(), host.Name, sessionId, visitorId, visitor.Name, CallPhase.Ringing, _time.GetUtcNow());
            _calls[call.Id] = call;
            _visitors[visitorId] = visitor with { Status = VisitorStatus.Ringing, CallId = call.Id };
            Publish();
            _logger.LogInformation("Call {CallId}: {Host} calls visitor {VisitorId}", call.Id, host.Name, visitorId);
            return (CallRefusal.None, call);
        }
    }

    /// <summary>The visitor pressed Answer.</summary>
    public bool Answer(string visitorId, string callId, string? circuit = null)
    {
        lock (_gate)
        {
            if (!_calls.TryGetValue(callId, out var call) || call.VisitorId != visitorId || call.Phase != CallPhase.Ringing)
            {
                return false;
            }

            _calls[callId] = call with { Phase = CallPhase.Answered, VisitorCircuit = circuit };
            _visitors[visitorId] = _visitors[visitorId] with { Status = VisitorStatus.InCall };
            Publish();
        }

        Flush();
        return true;
    }

    /// <summary>The visitor pressed Decline: the call ends and the visitor waits on.</summary>
    public bool Decline(string visitorId, string callId)
    {
        List<(string, PartyMessage)> messages = [];
        lock (_gate)
        {
            if (!_calls.TryGetValue(callId, out var call) || call.VisitorId != visitorId || call.Phase != CallPhase.Ringing)
            {
                return false;
            }

            EndCall(callId, "declined", messages);
            Publish();
        }

        Flush(messages);
        return true;
    }

    /// <summary>Either party pressed Hang up. The visitor leaves the list; their page offers to ask again.</summary>
    public bool HangUp(string partyId, string callId)
    {
        List<(string, PartyMessage)> messages = [];
        lock (_gate)
        {
            if (!_calls.TryGetValue(callId, out var call) || (call.VisitorId != partyId && call.HostSessionId != partyId))
            {
                return false;
            }

            var visitorId = call.VisitorId;
            EndCall(callId, call.VisitorId == partyId ? "the visitor hung up" : "the host hung up", messages);
            RemoveVisitor(visitorId, null, messages);
            Publish();
        }

        Flush(messages);
        return true;
    }

    /// <summary>The host pressed Dismiss: the visitor is told the host is not available and leaves the list.</summary>
    public bool Dismiss(string sessionId, string visitorId)
    {
        List<(string, PartyMessage)> messages = [];
        lock (_gate)
        {
            if (!_hosts.TryGetValue(sessionId, out var session) || !_visitors.ContainsKey(visitorId)
                || _settings.Current.Administrators.FirstOrDefault(a => a.Name == session.HostName) is not { } host
                || !_current.VisibleTo(host, _settings.Current.Administrators).Any(v => v.Id == visitorId))
            {
                return false;
            }

            RemoveVisitor(visitorId, "dismissed", messages);
            messages.Add((visitorId, new DismissedMessage()));
            Publish();
        }

        Flush(messages);
        return true;
    }

    /// <summary>
    /// Passes one signaling message to the other party of an answered call. Anything from someone who is not a party,
    /// for a call that is not answered, or that fails <see cref="SignalValidator"/> is dropped and logged; the outcome
    /// says which.
    /// </summary>
    public SignalOutcome Signal(string callId, string fromPartyId, string? kind, string? payload) => Signal(callId, fromPartyId, kind, payload, out _);

    /// <inheritdoc cref="Signal(string, string, string?, string?)" />
    public SignalOutcome Signal(string callId, string fromPartyId, string? kind, string? payload, out string reason)
    {
        reason = "";
        string to;
        lock (_gate)
        {
            if (!_calls.TryGetValue(callId, out var call) || call.Phase != CallPhase.Answered
                || (call.VisitorId != fromPartyId && call.HostSessionId != fromPartyId))
            {
                _logger.LogDebug("Dropped signaling for call {CallId} from {PartyId}: not a party of an answered call", Shorten(callId), Shorten(fromPartyId));
                reason = "not in an answered call";
                return SignalOutcome.NotInCall;
            }

            to = call.VisitorId == fromPartyId ? call.HostSessionId : call.VisitorId;
        }

        var clean = SignalValidator.Validate(kind, payload, out reason);
        if (clean is null)
        {
            _logger.LogWarning("Dropped signaling for call {CallId} from {PartyId}: {Reason}", callId, fromPartyId, reason);
            return SignalOutcome.Invalid;
        }

        SendInCall(callId, to, new SignalMessage(callId, kind!, clean));
        return SignalOutcome.Delivered;
    }

    /// <summary>Tells the other party of an answered call what media this party could start.</summary>
    public bool ReportMedia(string callId, string fromPartyId, bool hasAudio, bool hasVideo, string? problem)
    {
        if (problem is not (null or "denied" or "unavailable"))
        {
            return false;
        }

        string to;
        lock (_gate)
        {
            if (!_calls.TryGetValue(callId, out var call) || call.Phase != CallPhase.Answered
                || (call.VisitorId != fromPartyId && call.HostSessionId != fromPartyId))
            {
                return false;
            }

            to = call.VisitorId == fromPartyId ? call.HostSessionId : call.VisitorId;
        }

        SendInCall(callId, to, new PeerMediaMessage(callId, hasAudio, hasVideo, problem));
        return true;
    }

    /// <summary>Removes visitors whose grace ran out and calls that rang too long. Runs every second.</summary>
    public void Sweep()
    {
        List<(string, PartyMessage)> messages = [];
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var changed = false;
            foreach (var (id, until) in _awayUntil.Where(a => a.Value <= now).ToList())
            {
                changed |= RemoveVisitor(id, null, messages);
            }

            foreach (var call in _calls.Values.Where(c => c.Phase == CallPhase.Ringing && now - c.StartedAt >= RingTimeout).ToList())
            {
                EndCall(call.Id, "no answer", messages);
                changed = true;
            }

            if (changed)
            {
                Publish();
            }
        }

        Flush(messages);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _sweeper.Dispose();
        _settingsSubscription.Dispose();
    }

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

    private static string NewId() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    private static string Shorten(string id) => id.Length > 40 ? id[..40] + "…" : id;

    // Whether the visitor's page on this circuit is the one in the call (unknown circuits count as in it).
    private static bool InCall(CallInfo call, string? circuit) =>
        circuit is null || call.VisitorCircuit is null || call.VisitorCircuit == circuit;

    // Under the lock. Ends a call; the visitor, if still listed, goes back to waiting.
    private void EndCall(string callId, string reason, List<(string, PartyMessage)> messages)
    {
        if (!_calls.Remove(callId, out var call))
        {
            return;
        }

        _callLogs.Remove(callId);

        if (_visitors.TryGetValue(call.VisitorId, out var visitor) && visitor.CallId == callId)
        {
            _visitors[call.VisitorId] = visitor with { Status = VisitorStatus.Waiting, CallId = null };
        }

        messages.Add((call.VisitorId, new CallEndedMessage(callId, reason)));
        messages.Add((call.HostSessionId, new CallEndedMessage(callId, reason)));
        _logger.LogInformation("Call {CallId} ended: {Reason}", callId, reason);
    }

    // Under the lock.
    private bool RemoveVisitor(string visitorId, string? reason, List<(string, PartyMessage)> messages)
    {
        if (!_visitors.Remove(visitorId, out var visitor))
        {
            return false;
        }

        if (visitor.CallId is { } callId)
        {
            EndCall(callId, reason ?? "the visitor left", messages);
        }

        _awayUntil.Remove(visitorId);
        _owners.Remove(visitorId);
        foreach (var token in _resumeTokens.Where(t => t.Value == visitorId).Select(t => t.Key).ToList())
        {
            _resumeTokens.Remove(token);
        }

        return true;
    }

    // Under the lock: makes the next snapshot. Flush hands it out after the lock is released.
    private void Publish()
    {
        var snapshot = new LobbySnapshot(
            _current.Version + 1,
            [.. _visitors.Values],
            [.. _calls.Values.OrderBy(c => c.StartedAt)],
            [.. _hosts.Values.OrderBy(h => h.OpenedAt)]);
        _current = snapshot;
    }

    // Outside the lock, so that a subscriber calling back into the lobby cannot deadlock. Snapshots may race here,
    // but each subscriber drops any older than the last it saw, so the newest always arrives last.
    // Messages go first: a page told "call ended" or "dismissed" before it sees itself gone from the list knows why.
    private void Flush(List<(string To, PartyMessage Message)>? messages = null)
    {
        if (messages is not null)
        {
            Send(messages);
        }

        var snapshot = _current;
        foreach (var subscriber in _subscribers)
        {
            subscriber.Deliver(snapshot, snapshot.Version);
        }
    }

    private static string CallKey(string callId, string partyId) => callId + "/" + partyId;

    // Logged and read under one lock: a subscriber gets each message exactly once, by replay or live.
    private void SendInCall(string callId, string to, PartyMessage message)
    {
        ImmutableArray<Subscriber<PartyMessage>> targets;
        lock (_gate)
        {
            if (!_calls.ContainsKey(callId))
            {
                return;
            }

            targets = _parties.GetValueOrDefault(CallKey(callId, to), []);

            // Kept only while that side's page is not listening yet (it is the replay's whole purpose), and bounded,
            // so a hostile party cannot make the server hold its messages for the length of a call.
            var log = _callLogs.TryGetValue(callId, out var existing) ? existing : _callLogs[callId] = [];
            var size = message is SignalMessage signal ? signal.Payload.Length : 0;
            if (targets.IsEmpty && log.Count < MaxCallLog && log.Sum(m => m.Message is SignalMessage s ? s.Payload.Length : 0) + size <= MaxCallLogCharacters)
            {
                log.Add((to, message));
            }
        }

        foreach (var target in targets)
        {
            target.Deliver(message, 0);
        }
    }

    private void Send(List<(string To, PartyMessage Message)> messages)
    {
        foreach (var (to, message) in messages)
        {
            ImmutableArray<Subscriber<PartyMessage>> targets;
            lock (_gate)
            {
                targets = _parties.GetValueOrDefault(to, []);
            }

            foreach (var target in targets)
            {
                target.Deliver(message, 0);
            }
        }
    }

    private void Unsubscribe<T>(Subscriber<T> subscriber)
    {
        lock (_gate)
        {
            if (subscriber is Subscriber<LobbySnapshot> snapshots)
            {
                _subscribers = _subscribers.Remove(snapshots);
            }
            else if (subscriber is Subscriber<PartyMessage> { PartyId: { } party } messages && _parties.TryGetValue(party, out var list))
            {
                list = list.Remove(messages);
                if (list.IsEmpty)
                {
                    _parties.Remove(party);
                }
                else
                {
                    _parties[party] = list;
                }
            }
        }
    }

    /// <summary>One subscription. Deliveries to it are serialised and never go back in version.</summary>
    private sealed class Subscriber<T>(Action<T> handler, LobbyService owner, string? partyId = null) : IDisposable
    {
        private readonly Lock _order = new();
        private long _lastVersion = -1;
        private volatile bool _disposed;

        public string? PartyId => partyId;

        public void Deliver(T item, long version)
        {
            lock (_order)
            {
                if (_disposed || (version != 0 && version <= _lastVersion))
                {
                    return;
                }

                _lastVersion = Math.Max(_lastVersion, version);
                try
                {
                    handler(item);
                }
#pragma warning disable CA1031 // A subscriber's failure (e.g. a circuit gone) must never reach the publisher.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    owner._logger.LogWarning(e, "A lobby subscriber failed");
                }
            }
        }

        /// <summary>Holds live deliveries back until the returned handle is disposed (for a replay first).</summary>
        public IDisposable HoldDeliveries()
        {
            _order.Enter();
            return new Release(_order);
        }

        /// <summary>Delivers while <see cref="HoldDeliveries"/> is held by this thread.</summary>
        public void DeliverHeld(T item)
        {
            try
            {
                handler(item);
            }
#pragma warning disable CA1031 // A subscriber's failure must never reach the lobby.
            catch (Exception e)
#pragma warning restore CA1031
            {
                owner._logger.LogWarning(e, "A lobby subscriber failed");
            }
        }

        public void Dispose()
        {
            _disposed = true;
            owner.Unsubscribe(this);
        }

        private sealed class Release(Lock held) : IDisposable
        {
            public void Dispose() => held.Exit();
        }
    }
}
