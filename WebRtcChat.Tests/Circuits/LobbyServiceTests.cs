using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Lobby;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Circuits;

/// <summary>The lobby as circuits see it: a place belongs to the tab that holds it, a call to the tab that answered.</summary>
public sealed class LobbyServiceTests : IDisposable
{
    private static readonly AdministratorOptions Alice = new() { Name = "alice", ConsolePath = "/desk-alice-1", SuperAdministrator = true };

    private readonly ManualTime _time = new();
    private readonly WebRtcChatSettings _settings = new(new WebRtcChatOptions { Administrators = [Alice] });
    private readonly LobbyParties _parties;

    public LobbyServiceTests() => _parties = new LobbyParties(_settings, _time);

    private global::WebRtcChat.Components.Lobby.Lobby Lobby => _parties.Lobby;

    public void Dispose() => _parties.Dispose();

    [Fact]
    public void AVisitorWhosePageWentAwayKeepsTheirPlaceForTheGraceThenGoes()
    {
        var (tab, ticket) = _parties.Join("Bob");
        var arrived = Lobby.Current.FindVisitor(ticket.VisitorId)!.ArrivedAt;

        tab.Dispose(); // the circuit ends
        Assert.Equal(VisitorStatus.Away, Lobby.Current.FindVisitor(ticket.VisitorId)!.Status);

        _time.Advance(TimeSpan.FromSeconds(30));
        Lobby.Sweep();
        var (reloaded, resumed) = _parties.Resume(ticket.ResumeToken);
        Assert.Equal(ticket.VisitorId, resumed!.VisitorId);
        Assert.Equal((VisitorStatus.Waiting, arrived), (Lobby.Current.FindVisitor(ticket.VisitorId)!.Status, Lobby.Current.FindVisitor(ticket.VisitorId)!.ArrivedAt));

        reloaded.Dispose();
        _time.Advance(new LobbyOptions().ReconnectGrace + TimeSpan.FromSeconds(1));
        Lobby.Sweep();
        Assert.Empty(Lobby.Current.Visitors);
        Assert.Null(_parties.Resume(ticket.ResumeToken).Ticket);
    }

    [Fact]
    public void AnOldPageGoingAwayDoesNotEvictTheVisitorWhoResumedOnANewPage()
    {
        var (oldPage, ticket) = _parties.Join("Bob");

        var (newPage, resumed) = _parties.Resume(ticket.ResumeToken);
        Assert.NotNull(resumed);
        oldPage.Dispose(); // the old circuit is evicted after the reload

        Assert.Equal(VisitorStatus.Waiting, Lobby.Current.FindVisitor(ticket.VisitorId)!.Status);
        newPage.Dispose();
        Assert.Equal(VisitorStatus.Away, Lobby.Current.FindVisitor(ticket.VisitorId)!.Status);
    }

    [Fact]
    public void ClosingTheTabThatAnsweredEndsTheCallEvenWhenADuplicatedTabHoldsThePlace()
    {
        var console = _parties.Console("alice", Alice.ConsolePath);
        var (tabA, ticket) = _parties.Join("Bob");
        var (_, call) = console.Call(ticket.VisitorId);
        Assert.True(tabA.Answer(call!.Id));
        var (tabB, _) = _parties.Resume(ticket.ResumeToken); // "Duplicate tab" copies sessionStorage

        tabB.Dispose(); // the duplicate closes: the call goes on
        Assert.Single(Lobby.Current.Calls);
        _parties.Resume(ticket.ResumeToken);

        tabA.Dispose(); // the tab in the call closes
        Assert.Empty(Lobby.Current.Calls);
        Assert.Equal(VisitorStatus.Waiting, Lobby.Current.FindVisitor(ticket.VisitorId)!.Status); // the third tab keeps the place
    }

    [Fact]
    public void ADuplicatedTabClosingDuringTheCallLeavesTheCallAndThePlaceToTheTabThatAnswered()
    {
        var console = _parties.Console("alice", Alice.ConsolePath);
        var (tabA, ticket) = _parties.Join("Bob");
        var (_, call) = console.Call(ticket.VisitorId);
        Assert.True(tabA.Answer(call!.Id));
        Assert.True(console.ReportConnected(call.Id, null)); // the browsers connected: no set-up deadline ends the call
        var (tabB, resumed) = _parties.Resume(ticket.ResumeToken);
        Assert.NotNull(resumed);

        tabB.Dispose();
        _time.Advance(new LobbyOptions().ReconnectGrace + TimeSpan.FromSeconds(1));
        Lobby.Sweep();

        Assert.NotEqual(VisitorStatus.Away, Lobby.Current.FindVisitor(ticket.VisitorId)!.Status);
        Assert.Single(Lobby.Current.Calls);
        tabA.Dispose(); // the place was given back: the answering tab's going counts
        Assert.Empty(Lobby.Current.Calls);
        Assert.Equal(VisitorStatus.Away, Lobby.Current.FindVisitor(ticket.VisitorId)!.Status);
    }

    [Fact]
    public void ATabThatNoLongerHoldsThePlaceGivesNothingAwayWhenItCloses()
    {
        _settings.Apply(_settings.Current with { Lobby = new LobbyOptions { ReconnectGrace = TimeSpan.Zero } });
        var console = _parties.Console("alice", Alice.ConsolePath);
        var (tabA, ticket) = _parties.Join("Bob");
        var (_, call) = console.Call(ticket.VisitorId);
        Assert.True(tabA.Answer(call!.Id));
        var (tabB, _) = _parties.Resume(ticket.ResumeToken);
        _parties.Resume(ticket.ResumeToken); // a duplicate of the duplicate now holds the place

        tabB.Dispose();
        tabA.Dispose(); // the call ends with its tab

        Assert.Empty(Lobby.Current.Calls);
        Assert.Equal(VisitorStatus.Waiting, Lobby.Current.FindVisitor(ticket.VisitorId)!.Status); // the third tab keeps it
    }

    [Fact]
    public void EachPartyMintsItsOwnTurnCredentialsOncePerCallAndOnlyTheVisitorIsPolite()
    {
        var console = _parties.Console("alice", Alice.ConsolePath);
        var (tab, ticket) = _parties.Join("Bob");
        var (_, call) = console.Call(ticket.VisitorId);
        Assert.True(tab.Answer(call!.Id));

        var visitorSide = tab.PeerConfigurationFor(call);
        var hostSide = console.PeerConfigurationFor(call);

        Assert.True(visitorSide.Polite);
        Assert.False(hostSide.Polite);
        Assert.Same(visitorSide, tab.PeerConfigurationFor(call)); // minted once for the call
    }
}
