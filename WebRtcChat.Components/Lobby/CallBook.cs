using WebRtcChat.Components.Circuits;

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

    private readonly Dictionary<string, CallInfo> _calls = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LobbyInbox> _answeredBy = new(StringComparer.Ordinal);

    public IEnumerable<CallInfo> Calls => _calls.Values;

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
    public bool Answer(string callId, string visitorId, LobbyInbox page)
    {
        if (!_calls.TryGetValue(callId, out var call) || call.VisitorId != visitorId || call.Phase != CallPhase.Ringing)
        {
            return false;
        }

        _calls[callId] = call with { Phase = CallPhase.Answered };
        _answeredBy[callId] = page;
        return true;
    }

    public CallInfo? End(string callId)
    {
        _answeredBy.Remove(callId);
        return _calls.Remove(callId, out var call) ? call : null;
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
