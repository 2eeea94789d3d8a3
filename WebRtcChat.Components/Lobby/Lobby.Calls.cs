using Microsoft.Extensions.Logging;
using WebRtcChat.Components.Circuits;

namespace WebRtcChat.Components.Lobby;

/// <summary>The calls' side of the lobby: call, answer, decline, hang up, and what passes between the two parties.</summary>
public sealed partial class Lobby
{
    /// <summary>
    /// A party's connection has been down for a while: any call it is in ends, so the other side is not left hanging.
    /// For a visitor, only the call of <paramref name="page"/>'s page. The party otherwise keeps its place.
    /// </summary>
    public void EndCallsOf(string partyId, string reason, LobbyInbox page) => Change(change =>
    {
        foreach (var call in _calls.Calls.Where(c => c.HostSessionId == partyId || (c.VisitorId == partyId && IsInCall(c.Id, page))).ToList())
        {
            EndCall(call.Id, reason, change);
        }
    });

    /// <summary>
    /// The host pressed Call. The server decides, whatever the browser sent: only a waiting, permitted visitor of
    /// this host can be called, and a host has one call at a time.
    /// </summary>
    public (CallRefusal Refusal, CallInfo? Call) Call(string sessionId, string visitorId) => Change(change =>
    {
        var administrators = _settings.Current.Administrators;
        if (_consoles.Find(sessionId) is not { } session || _room.Find(visitorId) is not { } visitor
            || administrators.FirstOrDefault(a => a.Name == session.HostName) is not { } host
            || !Visibility.IsOwnVisitor(_current, host, administrators, visitor))
        {
            return (CallRefusal.NotYours, (CallInfo?)null);
        }

        if (!VisitorNames.IsPermitted(host.PermittedVisitors, visitor.Name))
        {
            _logger.LogWarning("Refused a call from console {SessionId} to visitor {VisitorId}: name not permitted", sessionId, visitorId);
            return (CallRefusal.NotPermitted, null);
        }

        if (_calls.IsHostBusy(host.Name))
        {
            return (CallRefusal.Busy, null);
        }

        if (visitor.Status != VisitorStatus.Waiting)
        {
            return (CallRefusal.NotWaiting, null);
        }

        var call = _calls.Ring(NewId(), host.Name, sessionId, visitor, _time.GetUtcNow());
        _room.Update(visitor with { Status = VisitorStatus.Ringing, CallId = call.Id });
        change.Changed = true;
        _logger.LogInformation("Call {CallId}: {Host} calls visitor {VisitorId}", call.Id, host.Name, visitorId);
        return (CallRefusal.None, call);
    });

    /// <summary>The visitor pressed Answer on the page of <paramref name="page"/>, which is then the one in the call.</summary>
    public bool Answer(string visitorId, string callId, LobbyInbox page) => Change(change =>
    {
        if (!_calls.Answer(callId, visitorId, page))
        {
            return false;
        }

        _room.Update(_room.Find(visitorId)! with { Status = VisitorStatus.InCall });
        return change.Changed = true;
    });

    /// <summary>The visitor pressed Decline: the call ends and the visitor waits on.</summary>
    public bool Decline(string visitorId, string callId) => Change(change =>
    {
        if (_calls.Find(callId) is not { VisitorId: var visitor, Phase: CallPhase.Ringing } || visitor != visitorId)
        {
            return false;
        }

        EndCall(callId, "declined", change);
        return true;
    });

    /// <summary>Either party pressed Hang up. The visitor leaves the list; their page offers to ask again.</summary>
    public bool HangUp(string partyId, string callId) => Change(change =>
    {
        if (_calls.Find(callId) is not { } call || (call.VisitorId != partyId && call.HostSessionId != partyId))
        {
            return false;
        }

        EndCall(callId, call.VisitorId == partyId ? "the visitor hung up" : "the host hung up", change);
        RemoveVisitor(call.VisitorId, null, change);
        return true;
    });

    /// <summary>
    /// Passes a message of an answered call from one party to the page of the other that is in the call. False when
    /// <paramref name="fromPartyId"/> is not a party of an answered call (then nothing is sent).
    /// </summary>
    public bool SendInCall(string fromPartyId, CallMessage message) => Change(change =>
    {
        if (_calls.OtherParty(message.CallId, fromPartyId) is not { } to)
        {
            return false;
        }

        change.Send(to, message);
        return true;
    });

    /// <summary>Whether the party is in the call, and the call is answered.</summary>
    public bool IsInAnsweredCall(string callId, string partyId)
    {
        lock (_gate)
        {
            return _calls.OtherParty(callId, partyId) is not null;
        }
    }

    // Whether the visitor's page of this inbox is the one in the call (a call not answered yet is every page's).
    private bool IsInCall(string callId, LobbyInbox page) => _calls.AnsweredBy(callId) is not { } answering || answering == page;

    // Ends a call; the visitor, if still listed, goes back to waiting.
    private void EndCall(string callId, string reason, LobbyChange change)
    {
        if (_calls.End(callId) is not { } call)
        {
            return;
        }

        if (_room.Find(call.VisitorId) is { } visitor && visitor.CallId == callId)
        {
            _room.Update(visitor with { Status = VisitorStatus.Waiting, CallId = null });
        }

        change.Send(call.VisitorId, new CallEndedMessage(callId, reason));
        change.Send(call.HostSessionId, new CallEndedMessage(callId, reason));
        change.Changed = true;
        _logger.LogInformation("Call {CallId} ended: {Reason}", callId, reason);
    }
}
