using Microsoft.Extensions.Logging;
using WebRtcChat.Components.Circuits;

namespace WebRtcChat.Components.Lobby;

/// <summary>The calls' side of the lobby: call, answer, decline, hang up, and what passes between the two parties.</summary>
public sealed partial class Lobby
{
    /// <summary>
    /// A party's connection to the server has been down for a while: a call it is in that has not connected ends, so
    /// the other side is not left hanging. A connected call goes on, since media does not need the server: if the
    /// page is really gone, the other browser gives up and says so, or the circuit's end ends the call. For a
    /// visitor, only the call of <paramref name="page"/>'s page. The party otherwise keeps its place.
    /// </summary>
    public void EndCallsOf(string partyId, string reason, LobbyInbox page) => Change(change =>
    {
        foreach (var call in _calls.Calls.Where(c => (c.HostSessionId == partyId || (c.VisitorId == partyId && IsInCall(c.Id, page)))
            && _calls.Progress(c.Id)?.ConnectedAt is null).ToList())
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
        if (!_calls.Answer(callId, visitorId, page, _time.GetUtcNow()))
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

    /// <summary>This party's browser created its peer connection for the answered call.</summary>
    public bool PeerStarted(string partyId, string callId) => Progress(partyId, callId, (progress, side, _) =>
    {
        progress.PeerStarted(side);
        return false;
    });

    /// <summary>
    /// This party's camera and microphone are settled (granted, refused or missing): its browser starts negotiating,
    /// and the other party hears what it will send.
    /// </summary>
    public bool ReportMedia(string partyId, PeerMediaMessage media) => Progress(partyId, media.CallId, (progress, _, change) =>
    {
        progress.MediaSettled(partyId == _calls.Find(media.CallId)!.HostSessionId ? CallSide.Host : CallSide.Visitor, _time.GetUtcNow());
        change.Send(_calls.OtherParty(media.CallId, partyId)!, media);
        return false;
    });

    /// <summary>What this party's browser gathered, for the cause of a failure.</summary>
    public bool ReportGathering(string partyId, string callId, GatheringReport report) => Progress(partyId, callId, (progress, side, _) =>
    {
        progress.Gathered(side, report);
        return false;
    });

    /// <summary>
    /// This party's browser connected, or its path changed. The call's record keeps when it first connected, and
    /// (from the host's browser, the one the console trusts) the path it runs over.
    /// </summary>
    public bool ReportConnected(string partyId, string callId, CallPath? path) => Progress(partyId, callId, (_, side, change) =>
    {
        var first = _calls.Connected(callId, _time.GetUtcNow());
        if (first)
        {
            _logger.LogInformation("Call {CallId} connected", callId);
        }

        return (side == CallSide.Host && path is not null && _calls.ConnectedOver(callId, path)) | first;
    });

    /// <summary>
    /// This party's browser gave up: it never connected, or lost the connection and its restarts did not bring it
    /// back. The call ends on both sides with the likely cause; the visitor keeps their place.
    /// </summary>
    public bool ReportConnectionFailed(string partyId, string callId) => Progress(partyId, callId, (progress, _, change) =>
    {
        FailCall(callId, progress.Explain(_settings.Current.Ice), change);
        return false;
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

    // A step of an answered call's connection, from one of its two parties; false (and nothing done) from anyone else.
    private bool Progress(string partyId, string callId, Func<CallProgress, CallSide, LobbyChange, bool> step) => Change(change =>
    {
        if (_calls.OtherParty(callId, partyId) is null || _calls.Progress(callId) is not { } progress)
        {
            return false;
        }

        var side = _calls.Find(callId)!.HostSessionId == partyId ? CallSide.Host : CallSide.Visitor;
        if (step(progress, side, change))
        {
            change.Changed = true; // not |=: that would read Changed before the step sets it
        }

        return true;
    });

    // The browsers could not connect, or lost the connection for good: the call ends on both sides with the cause.
    private void FailCall(string callId, CallFailure failure, LobbyChange change)
    {
        var reason = failure.Cause == FailureCause.ConnectionLost ? "the connection was lost" : "the browsers could not connect";
        _logger.LogInformation("Call {CallId}: {Cause} on {Side}", callId, failure.Cause, failure.Side?.ToString() ?? "both sides");
        EndCall(callId, reason, change, failure);
    }

    // Ends a call; the visitor, if still listed, goes back to waiting.
    private void EndCall(string callId, string reason, LobbyChange change, CallFailure? failure = null)
    {
        if (_calls.End(callId, reason, _time.GetUtcNow()) is not { } call)
        {
            return;
        }

        if (_room.Find(call.VisitorId) is { } visitor && visitor.CallId == callId)
        {
            _room.Update(visitor with { Status = VisitorStatus.Waiting, CallId = null });
        }

        change.Send(call.VisitorId, new CallEndedMessage(callId, reason, failure));
        change.Send(call.HostSessionId, new CallEndedMessage(callId, reason, failure));
        change.Changed = true;
        _logger.LogInformation("Call {CallId} ended: {Reason}", callId, reason);
    }
}
