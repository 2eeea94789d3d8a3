using WebRtcChat.Components.Circuits;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Lobby;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Lobby;

/// <summary>How an answered call gets connected: its deadlines, the cause of a failure, and the path it keeps.</summary>
public sealed class CallSetupTests : IDisposable
{
    private const string UdpTurn = "turn:turn.example.org:3478?transport=udp";
    private const string TcpTurn = "turn:turn.example.org:3478?transport=tcp";
    private const string TlsTurn = "turns:turn.example.org:443?transport=tcp";
    private static readonly AdministratorOptions Alice = new() { Name = "alice", ConsolePath = "/desk-alice-1", SuperAdministrator = true };
    private static readonly AdministratorOptions Dave = new() { Name = "dave", ConsolePath = "/desk-dave-12" };
    private static readonly GatheringReport Everything = new(Host: true, ServerReflexive: true, RelayUdp: true, RelayTcp: true, RelayTls: true, CredentialsRefused: false);
    private static readonly GatheringReport HostOnly = new(Host: true, ServerReflexive: false, RelayUdp: false, RelayTcp: false, RelayTls: false, CredentialsRefused: false);

    private readonly ManualTime _time = new();
    private readonly WebRtcChatSettings _settings;
    private readonly LobbyParties _parties;

    public CallSetupTests()
    {
        _settings = new WebRtcChatSettings(new WebRtcChatOptions
        {
            Administrators = [Alice, Dave],
            Ice = new IceOptions { TurnServers = [UdpTurn], TurnSharedSecret = "0123456789abcdef0123" },
        });
        _parties = new LobbyParties(_settings, _time);
    }

    private global::WebRtcChat.Components.Lobby.Lobby Lobby => _parties.Lobby;

    public void Dispose() => _parties.Dispose();

    // A call answered now, both peers created and both sides' media settled a second later.
    private (LobbyService Host, CallInfo Call, LobbyService Visitor) Negotiating()
    {
        var console = _parties.Console("alice", Alice.ConsolePath);
        var (tab, ticket) = _parties.Join("Bob");
        var call = console.Call(ticket.VisitorId).Call!;
        Assert.True(tab.Answer(call.Id));
        Assert.True(console.PeerStarted(call.Id));
        Assert.True(tab.PeerStarted(call.Id));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(console.ReportMedia(call.Id, hasAudio: true, hasVideo: true, problem: null));
        Assert.True(tab.ReportMedia(call.Id, hasAudio: true, hasVideo: true, problem: null));
        LobbyParties.Drain(console);
        LobbyParties.Drain(tab);
        return (console, call, tab);
    }

    private void After(TimeSpan elapsed)
    {
        _time.Advance(elapsed);
        Lobby.Sweep();
    }

    private static CallFailure? FailureIn(LobbyService party) =>
        LobbyParties.Messages(party).OfType<CallEndedMessage>().SingleOrDefault()?.Failure;

    [Fact]
    public void ACallWhoseBrowsersFindNoPathFailsOnBothSidesWithinTwentySecondsOfAnswerAndTheVisitorKeepsThePlace()
    {
        var (console, call, tab) = Negotiating();

        After(CallProgress.ConnectTimeout - TimeSpan.FromSeconds(1));
        Assert.Single(Lobby.Current.Calls); // still trying
        After(TimeSpan.FromSeconds(1)); // 16 s after Answer

        Assert.Empty(Lobby.Current.Calls);
        Assert.NotNull(FailureIn(console));
        Assert.NotNull(FailureIn(tab));
        Assert.Equal(VisitorStatus.Waiting, Lobby.Current.FindVisitor(call.VisitorId)!.Status);
        Assert.True(console.Call(call.VisitorId).Call is not null, "the host could not try again");
    }

    [Fact]
    public void ACallWhoseVisitorsBrowserNeverStartsItsPeerEndsSayingWhoseBrowserItWas()
    {
        var console = _parties.Console("alice", Alice.ConsolePath);
        var (tab, ticket) = _parties.Join("Bob");
        var call = console.Call(ticket.VisitorId).Call!;
        Assert.True(tab.Answer(call.Id));
        Assert.True(console.PeerStarted(call.Id));
        LobbyParties.Drain(console);

        After(CallProgress.StartTimeout);

        Assert.Equal(new CallFailure(FailureCause.PeerNotStarted, CallSide.Visitor), FailureIn(console));
    }

    [Fact]
    public void WhileACameraQuestionIsOpenTheCallWaitsForItUpToTheMediaTimeout()
    {
        var console = _parties.Console("alice", Alice.ConsolePath);
        var (tab, ticket) = _parties.Join("Bob");
        var call = console.Call(ticket.VisitorId).Call!;
        tab.Answer(call.Id);
        console.PeerStarted(call.Id);
        tab.PeerStarted(call.Id);
        console.ReportMedia(call.Id, true, true, null);
        LobbyParties.Drain(console);

        After(CallProgress.MediaTimeout - TimeSpan.FromSeconds(1));
        Assert.Single(Lobby.Current.Calls);
        After(TimeSpan.FromSeconds(1));

        Assert.Equal(new CallFailure(FailureCause.MediaUndecided, CallSide.Visitor), FailureIn(console));
    }

    [Fact]
    public void AConnectedCallHasNoDeadlineAndKeepsWhenAndOverWhichPathTheHostsBrowserConnected()
    {
        var (console, call, tab) = Negotiating();
        var path = new CallPath(CallRoute.Relayed, CallTransport.Tls);

        Assert.True(tab.ReportConnected(call.Id, new CallPath(CallRoute.Direct, CallTransport.Udp))); // the visitor's word is not kept
        Assert.True(console.ReportConnected(call.Id, path));
        var connectedAt = _time.GetUtcNow();
        After(TimeSpan.FromMinutes(10));

        Assert.Single(Lobby.Current.Calls);
        var record = Assert.Single(Lobby.Current.History);
        Assert.Equal((call.Id, "alice", "Bob", connectedAt, path), (record.CallId, record.HostName, record.VisitorName, record.ConnectedAt, record.Path));
        Assert.Null(record.EndedAt);

        _time.Advance(TimeSpan.FromSeconds(3));
        var direct = new CallPath(CallRoute.Direct, CallTransport.Udp);
        Assert.True(console.ReportConnected(call.Id, direct)); // ICE moved the call off the relay
        Assert.Equal((connectedAt, direct), (Lobby.Current.History[0].ConnectedAt, Lobby.Current.History[0].Path));

        console.HangUp(call.Id);
        Assert.Equal("the host hung up", Assert.Single(Lobby.Current.History).Outcome);
    }

    [Fact]
    public void ABrowserThatGivesUpEndsTheCallAtOnceAndOneThatLostAConnectedCallSaysItWasLost()
    {
        var (console, call, tab) = Negotiating();
        Assert.True(tab.ReportConnectionFailed(call.Id));
        Assert.Equal(new CallFailure(FailureCause.Unexplained, CallSide.Host), FailureIn(console)); // no reports: no cause is made up

        var again = console.Call(call.VisitorId).Call!; // Try again
        Assert.True(tab.Answer(again.Id));
        Assert.True(console.ReportConnected(again.Id, null));
        LobbyParties.Drain(console);
        Assert.True(console.ReportConnectionFailed(again.Id));

        Assert.Equal(new CallFailure(FailureCause.ConnectionLost, null), FailureIn(console));
        Assert.Empty(Lobby.Current.Calls);
        Assert.Equal(VisitorStatus.Waiting, Lobby.Current.FindVisitor(call.VisitorId)!.Status);
    }

    [Fact]
    public void OnlyThePartiesOfAnAnsweredCallCanReportItsProgress()
    {
        var (_, call, _) = Negotiating();
        var other = _parties.Console("dave", Dave.ConsolePath);
        var (stranger, _) = _parties.Join("Eve");

        Assert.False(other.ReportConnectionFailed(call.Id));
        Assert.False(stranger.ReportConnectionFailed(call.Id));
        Assert.False(stranger.ReportConnected(call.Id, null));
        Assert.False(stranger.ReportGathering(call.Id, HostOnly));
        Assert.Single(Lobby.Current.Calls);
    }

    [Fact]
    public void APartyWhoseServerConnectionIsDownKeepsAConnectedCallButNotOneStillConnecting()
    {
        var (console, call, tab) = Negotiating();
        console.ReportConnected(call.Id, null);

        Lobby.EndCallsOf(tab.VisitorId!, "the visitor's connection was lost", tab.Inbox); // what CallGrace's timer does

        Assert.Single(Lobby.Current.Calls); // media does not need the server
        var console2 = _parties.Console("dave", Dave.ConsolePath);
        var (tab2, ticket2) = _parties.Join("Carol", host: "dave");
        var call2 = console2.Call(ticket2.VisitorId).Call!;
        tab2.Answer(call2.Id);
        Lobby.EndCallsOf(tab2.VisitorId!, "the visitor's connection was lost", tab2.Inbox);
        Assert.Null(Lobby.Current.FindCall(call2.Id));
    }

    [Fact]
    public void TheHistoryKeepsAFewCallsPerHostNewestFirst()
    {
        var console = _parties.Console("alice", Alice.ConsolePath);
        var (tab, ticket) = _parties.Join("Bob");
        for (var i = 0; i < CallBook.HistoryPerHost + 3; i++)
        {
            var call = console.Call(ticket.VisitorId).Call!;
            tab.Answer(call.Id);
            _time.Advance(TimeSpan.FromSeconds(1));
            console.ReportConnectionFailed(call.Id); // ends the call; the visitor waits on, to be called again
        }

        Assert.Equal(CallBook.HistoryPerHost, Lobby.Current.History.Length);
        Assert.True(Lobby.Current.History.SequenceEqual(Lobby.Current.History.OrderByDescending(r => r.AnsweredAt)));
    }

    public static TheoryData<string[], GatheringReport?, GatheringReport?, FailureCause, CallSide?> Causes => new()
    {
        // configured relays, the host's report, the visitor's report, the cause, whose side
        { [UdpTurn], Everything, HostOnly, FailureCause.UdpBlockedNoTcpRelay, CallSide.Visitor },
        { [UdpTurn, TcpTurn, TlsTurn], Everything, HostOnly, FailureCause.RelayUnreachable, CallSide.Visitor },
        { [UdpTurn], HostOnly, Everything, FailureCause.UdpBlockedNoTcpRelay, CallSide.Host },
        { [UdpTurn], HostOnly, HostOnly, FailureCause.RelayUnreachable, null },
        { [UdpTurn], Everything, HostOnly with { CredentialsRefused = true }, FailureCause.RelayRefusedCredentials, CallSide.Visitor },
        { [], HostOnly, HostOnly, FailureCause.NoRelayConfigured, null },
        { [UdpTurn], Everything, Everything, FailureCause.NoPath, null },
        { [UdpTurn], Everything, null, FailureCause.Unexplained, CallSide.Visitor }, // a side that never reported: no cause is made up
        { [UdpTurn], HostOnly with { CredentialsRefused = true }, HostOnly with { CredentialsRefused = true }, FailureCause.RelayRefusedCredentials, CallSide.Host }, // the host's own browser first
        { [UdpTurn], Everything, HostOnly with { ServerReflexive = true }, FailureCause.RelayUnreachable, CallSide.Visitor }, // UDP gets out: the relay is what is missing
    };

    [Theory]
    [MemberData(nameof(Causes))]
    public void TheCauseOfAFailureComesFromWhatEachBrowserGatheredAndWhichRelaysAreConfigured(
        string[] turnServers, GatheringReport? host, GatheringReport? visitor, FailureCause cause, CallSide? side)
    {
        _settings.Apply(_settings.Current with { Ice = new IceOptions { TurnServers = turnServers, TurnSharedSecret = turnServers.Length > 0 ? "0123456789abcdef0123" : "" } });
        var (console, call, tab) = Negotiating();
        if (host is not null)
        {
            console.ReportGathering(call.Id, host);
        }

        if (visitor is not null)
        {
            tab.ReportGathering(call.Id, visitor);
        }

        After(CallProgress.ConnectTimeout);

        Assert.Equal(new CallFailure(cause, side), FailureIn(console));
    }
}
