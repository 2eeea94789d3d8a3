using Microsoft.AspNetCore.Components.Server.Circuits;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Lobby;
using WebRtcChat.Components.Security;
using WebRtcChat.Components.Signaling;

namespace WebRtcChat.Components.Circuits;

/// <summary>
/// The lobby as one circuit sees it: the party the circuit is (one visitor, or one open console), the commands its
/// page gives, its TURN credentials, and its ordered <see cref="Inbox"/>, into which the shared <see cref="Lobby.Lobby"/>
/// pushes queue changes live. It is also the circuit's handler: when the connection has been down for
/// <see cref="CallGrace"/>, the party's call ends so the other side is not left waiting; when the circuit is gone, the
/// visitor is marked away or the console closed.
/// </summary>
public sealed partial class LobbyService(Lobby.Lobby lobby, SignalRelay relay, WebRtcChatSettings settings, TimeProvider time, IFailedAttemptSink attempts)
    : CircuitHandler, IDisposable
{
    private string? _address;
    private (string CallId, PeerConfiguration Configuration)? _minted;

    /// <summary>What the lobby sends this circuit, in order.</summary>
    public LobbyInbox Inbox { get; } = new();

    // Volatile: the grace timer reads them on a timer thread; only the circuit writes them.
    private volatile string? _visitorId;
    private volatile HostSession? _console;

    /// <summary>The visitor this circuit's page is, while it is in the list.</summary>
    public string? VisitorId { get => _visitorId; private set => _visitorId = value; }

    /// <summary>The console this circuit's page is, while it is open.</summary>
    public HostSession? Console { get => _console; private set => _console = value; }

    /// <summary>The call this circuit's page answered (a visitor's tab), until it ends.</summary>
    public string? AnsweredCallId { get; private set; }

    /// <summary>The lobby now.</summary>
    public LobbySnapshot Current => lobby.Current;

    private string? PartyId => VisitorId ?? Console?.Id;

    /// <summary>Starts the inbox: the current snapshot at once, then every later one and this party's messages.</summary>
    public void Attach() => lobby.Attach(Inbox);

    /// <summary>The page stops following the lobby (it went, or shows nothing of it any more): nothing more piles up in the inbox.</summary>
    public void Detach() => lobby.Detach(Inbox);

    /// <summary>Asks for a chat; the place belongs to this circuit.</summary>
    public VisitorTicket Join(VisitorRequest request)
    {
        Forget();
        _address = request.Address;
        var ticket = lobby.Join(request, Inbox);
        VisitorId = ticket.Queued ? ticket.VisitorId : null;
        return ticket;
    }

    /// <summary>Takes back the place a token kept (after a reload); it belongs to this circuit from now on.</summary>
    public VisitorTicket? Resume(string? resumeToken, string address)
    {
        var ticket = lobby.Resume(resumeToken, Inbox);
        if (ticket is not null)
        {
            Forget();
            (_address, VisitorId) = (address, ticket.VisitorId);
        }

        return ticket;
    }

    /// <summary>Leaves the list (Cancel, Request again, or a retired page).</summary>
    public void Leave()
    {
        if (VisitorId is { } visitor)
        {
            lobby.Leave(visitor);
        }

        Forget();
    }

    /// <summary>This page no longer stands for its place (another tab took it, or it was dismissed): it hears no more of it.</summary>
    public void Forget()
    {
        if (VisitorId is { } visitor)
        {
            lobby.Unfollow(visitor, Inbox);
        }

        (VisitorId, AnsweredCallId, _minted) = (null, null, null);
    }

    /// <summary>Answers the call ringing for this visitor; this page is then the one in the call.</summary>
    public bool Answer(string callId)
    {
        if (VisitorId is not { } visitor || !lobby.Answer(visitor, callId, Inbox))
        {
            return false;
        }

        AnsweredCallId = callId;
        return true;
    }

    /// <summary>Declines the call ringing for this visitor.</summary>
    public bool Decline(string callId) => VisitorId is { } visitor && lobby.Decline(visitor, callId);

    /// <summary>Opens the console of <paramref name="hostName"/>; null when the path is no longer theirs.</summary>
    public HostSession? OpenConsole(string hostName, string consolePath, string address)
    {
        _address = address;
        return Console = lobby.OpenConsole(hostName, consolePath, Inbox);
    }

    /// <summary>This circuit's console page is now visible or hidden (what the host's phone alerts wait for).</summary>
    public void SetConsoleVisible(bool visible)
    {
        if (Console is { } session)
        {
            lobby.SetConsoleVisible(session.Id, visible);
        }
    }

    /// <summary>Closes this circuit's console (the page went, or its path did).</summary>
    public void CloseConsole()
    {
        if (Console is { } session)
        {
            lobby.CloseConsole(session.Id);
        }

        (Console, _minted) = (null, null);
    }

    /// <summary>Calls a visitor from this console.</summary>
    public (CallRefusal Refusal, CallInfo? Call) Call(string visitorId) =>
        Console is { } session ? lobby.Call(session.Id, visitorId) : (CallRefusal.NotYours, null);

    /// <summary>Dismisses a visitor from this console, with the reason typed, if any.</summary>
    public bool Dismiss(string visitorId, string? reason = null) => Console is { } session && lobby.Dismiss(session.Id, visitorId, reason);

    /// <summary>Sends a visitor this console lists one short line.</summary>
    public NoteOutcome SendNote(string visitorId, string? text) =>
        Console is { } session ? lobby.SendNote(session.Id, visitorId, text) : NoteOutcome.NotYours;

    /// <summary>Hangs up (or, from a console, cancels a ringing call).</summary>
    public bool HangUp(string callId) => PartyId is { } party && lobby.HangUp(party, callId);

    /// <summary>
    /// Relays a description or candidate of this party's call. The call and the sender come from this circuit's own
    /// state, never from the page; a message that fails validation is a failed attempt of this circuit's client.
    /// </summary>
    public SignalOutcome Signal(string callId, SignalPayload? payload)
    {
        if (PartyId is not { } party)
        {
            return SignalOutcome.NotInCall;
        }

        var outcome = relay.Relay(callId, party, payload, out var reason);
        if (outcome == SignalOutcome.Invalid)
        {
            attempts.Report(AttemptKinds.InvalidSignaling, _address ?? "unknown", $"{(payload is CandidatePayload ? "candidate" : "description")}: {reason}");
        }

        return outcome;
    }

    /// <summary>Tells the other party what media this side could start.</summary>
    public bool ReportMedia(string callId, bool hasAudio, bool hasVideo, string? problem) =>
        PartyId is { } party && relay.ReportMedia(callId, party, hasAudio, hasVideo, problem);

    /// <summary>This party's browser created its peer connection for the call.</summary>
    public bool PeerStarted(string callId) => PartyId is { } party && lobby.PeerStarted(party, callId);

    /// <summary>What this party's browser gathered for the call.</summary>
    public bool ReportGathering(string callId, GatheringReport report) => PartyId is { } party && lobby.ReportGathering(party, callId, report);

    /// <summary>This party's browser connected, over the path given when it could tell.</summary>
    public bool ReportConnected(string callId, CallPath? path) => PartyId is { } party && lobby.ReportConnected(party, callId, path);

    /// <summary>This party's browser gave up on the connection.</summary>
    public bool ReportConnectionFailed(string callId) => PartyId is { } party && lobby.ReportConnectionFailed(party, callId);

    /// <summary>
    /// This party's ICE servers for the call, with TURN credentials of its own, minted once per call; the visitor is
    /// the polite peer.
    /// </summary>
    public PeerConfiguration PeerConfigurationFor(CallInfo call)
    {
        if (_minted is not { } minted || minted.CallId != call.Id)
        {
            minted = (call.Id, TurnCredentials.ForParty(settings.Current.Ice, time.GetUtcNow(), polite: call.VisitorId == VisitorId));
            _minted = minted;
        }

        return minted.Configuration;
    }

    /// <summary>
    /// The ICE servers for this party's connectivity check, with credentials valid for two minutes; null when no
    /// relay is configured, for a page that is no party (not queued, no console), and for a visitor's place that was
    /// checked already (see <see cref="Lobby.Lobby.TryStartCheck"/>).
    /// </summary>
    public PeerConfiguration? CheckConfiguration() =>
        settings.Current.Ice.TurnServers.Count > 0 && (Console is not null || (VisitorId is { } visitor && lobby.TryStartCheck(visitor)))
            ? TurnCredentials.ForCheck(settings.Current.Ice, time.GetUtcNow())
            : null;

    /// <summary>What this visitor's page found of its network, for the console's row.</summary>
    public bool ReportConnectivity(ConnectivityReport report) =>
        VisitorId is { } visitor && lobby.ReportReach(visitor, VisitorReaches.Of(report, settings.Current.Ice));

    /// <summary>The call this party was in has ended.</summary>
    public void CallEnded(string callId)
    {
        if (AnsweredCallId == callId)
        {
            AnsweredCallId = null;
        }

        if (_minted?.CallId == callId)
        {
            _minted = null;
        }
    }
}
