using WebRtcChat.Components.Circuits;
using WebRtcChat.Components.Configuration;

namespace WebRtcChat.Components.Lobby;

/// <summary>
/// The calls, and the only place a call's phase changes: it rings, is answered by one page of the visitor's (a
/// duplicated tab shares the place, not the call), and ends. Not thread-safe: <see cref="Lobby"/> calls it under its
/// lock.
/// </summary>
internal sealed class CallBook
{
    /// <summary>How long a call may ring before it is given up.</summary>
    public static readonly TimeSpan RingTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How many answered calls the history keeps per host.</summary>
    public const int HistoryPerHost = 10;

    private readonly Dictionary<string, CallInfo> _calls = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LobbyInbox> _answeredBy = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CallProgress> _progress = new(StringComparer.Ordinal);
    private readonly LinkedList<CallRecord> _history = new(); // newest first

    public IEnumerable<CallInfo> Calls => _calls.Values;

    /// <summary>The hosts' latest answered calls, newest first.</summary>
    public IEnumerable<CallRecord> History => _history;

    public CallInfo? Find(string id) => _calls.GetValueOrDefault(id);

    public bool IsHostBusy(string hostName) => _calls.Values.Any(c => c.HostName == hostName);

    /// <summary>The visitor's page that answered the call, once answered.</summary>
    public LobbyInbox? AnsweredBy(string callId) => _answeredBy.GetValueOrDefault(callId);

    public CallInfo Ring(string id, string hostName, string sessionId, Visitor visitor, DateTimeOffset now)
    {
        var call = new CallInfo(id, hostName, sessionId, visitor.Id, visitor.Name, CallPhase.Ringing, now);
        _calls[id] = call;
        return call;
    }

    /// <summary>The visitor answered from the page of <paramref name="page"/>; false when the call is not theirs or not ringing.</summary>
    public bool Answer(string callId, string visitorId, LobbyInbox page, DateTimeOffset now)
    {
        if (!_calls.TryGetValue(callId, out var call) || call.VisitorId != visitorId || call.Phase != CallPhase.Ringing)
        {
            return false;
        }

        _calls[callId] = call with { Phase = CallPhase.Answered };
        _answeredBy[callId] = page;
        _progress[callId] = new CallProgress(now);
        _history.AddFirst(new CallRecord(callId, call.HostName, call.VisitorName, now));
        if (_history.Count(r => r.HostName == call.HostName) > HistoryPerHost)
        {
            _history.Remove(_history.Last(r => r.HostName == call.HostName));
        }

        return true;
    }

    /// <summary>How the answered call is getting connected; null for a call that is not answered (or not on).</summary>
    public CallProgress? Progress(string callId) => _progress.GetValueOrDefault(callId);

    /// <summary>The answered call connected for the first time, over the path given (when the host's browser told).</summary>
    public bool Connected(string callId, DateTimeOffset now)
    {
        if (!_progress.TryGetValue(callId, out var progress) || !progress.Connected(now))
        {
            return false;
        }

        Record(callId, r => r with { ConnectedAt = now });
        return true;
    }

    /// <summary>The path the host's browser runs the call over now (it may move, relayed to direct), kept in the call's record.</summary>
    public bool ConnectedOver(string callId, CallPath path) => Record(callId, r => r with { Path = path });

    /// <summary>Answered calls whose browsers missed a deadline, with why.</summary>
    public IReadOnlyList<(CallInfo Call, CallFailure Failure)> Overdue(DateTimeOffset now, IceOptions ice) =>
        [.. _progress.Select(p => (Call: _calls[p.Key], Failure: p.Value.Overdue(now, ice))).Where(p => p.Failure is not null).Select(p => (p.Call, p.Failure!))];

    public CallInfo? End(string callId, string outcome, DateTimeOffset now)
    {
        _answeredBy.Remove(callId);
        _progress.Remove(callId);
        Record(callId, r => r with { EndedAt = now, Outcome = outcome });
        return _calls.Remove(callId, out var call) ? call : null;
    }

    private bool Record(string callId, Func<CallRecord, CallRecord> change)
    {
        for (var node = _history.First; node is not null; node = node.Next)
        {
            if (node.Value.CallId == callId && node.Value.EndedAt is null)
            {
                var changed = change(node.Value);
                var differs = changed != node.Value;
                node.Value = changed;
                return differs;
            }
        }

        return false;
    }

    /// <summary>Calls that rang for <see cref="RingTimeout"/> without an answer.</summary>
    public IReadOnlyList<CallInfo> Unanswered(DateTimeOffset now) =>
        [.. _calls.Values.Where(c => c.Phase == CallPhase.Ringing && now - c.StartedAt >= RingTimeout)];

    /// <summary>
    /// The other party of an answered call, as a party id, when <paramref name="from"/> is in it; null otherwise
    /// (not a party, or still ringing).
    /// </summary>
    public string? OtherParty(string callId, string from) =>
        _calls.TryGetValue(callId, out var call) && call.Phase == CallPhase.Answered && (call.VisitorId == from || call.HostSessionId == from)
            ? (call.VisitorId == from ? call.HostSessionId : call.VisitorId)
            : null;
}
