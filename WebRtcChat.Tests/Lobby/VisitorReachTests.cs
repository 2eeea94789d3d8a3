using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Interop;
using WebRtcChat.Components.Lobby;

namespace WebRtcChat.Tests.Lobby;

/// <summary>What a visitor's connectivity check means for the host's row, and what of the page's report is believed.</summary>
public sealed class VisitorReachTests
{
    private const string Udp = "turn:turn.example.org:3478?transport=udp";
    private const string Tcp = "turn:turn.example.org:3478?transport=tcp";
    private const string Tls = "turns:turn.example.org:443?transport=tcp";
    private static readonly IceOptions Ice = new() { TurnServers = [Udp, Tcp, Tls], TurnSharedSecret = "0123456789abcdef" };

    public static TheoryData<bool, bool, bool, bool, bool, VisitorReach> Reaches => new()
    {
        // server-reflexive, UDP, TCP, TLS reached, relay only → shown
        { true, true, true, true, false, VisitorReach.Direct },
        { true, true, true, true, true, VisitorReach.RelayUdp },
        { false, false, true, true, false, VisitorReach.RelayTcpOnly },
        { false, false, false, true, false, VisitorReach.RelayTlsOnly },
        { false, false, false, false, false, VisitorReach.NoRelay },
    };

    [Theory]
    [MemberData(nameof(Reaches))]
    public void TheRowSaysTheBestWayTheVisitorsBrowserCanBeReached(bool serverReflexive, bool udp, bool tcp, bool tls, bool relayOnly, VisitorReach reach)
    {
        var report = new ConnectivityReport(serverReflexive, [new UrlCheck(Udp, udp, null), new UrlCheck(Tcp, tcp, null), new UrlCheck(Tls, tls, null)]);

        Assert.Equal(reach, VisitorReaches.Of(report, Ice with { RelayOnly = relayOnly }));
    }

    [Fact]
    public void OnlyTheUrlsAskedAboutAreBelievedEachOnceAndAnErrorOnlyWhereNothingCame()
    {
        var asked = new HashSet<string>([Udp, Tcp]);
        var payload = new ConnectivityPayload(true, [
            new UrlCheckPayload(Udp, true, 701), new UrlCheckPayload(Udp, false, 401), new UrlCheckPayload("turn:evil.example:1", true, null),
            new UrlCheckPayload(Tcp, false, 123456), null]);

        var report = ConnectivityCheck.Read(payload, asked);

        Assert.Equal([new UrlCheck(Udp, true, null), new UrlCheck(Tcp, false, null)], report!.Urls);
        Assert.Null(ConnectivityCheck.Read(new ConnectivityPayload(true, [.. Enumerable.Repeat(new UrlCheckPayload(Udp, true, null), 33)]), asked));
        Assert.Null(ConnectivityCheck.Read(new ConnectivityPayload(true, null), asked));
    }

    [Fact]
    public void AWaitingPlaceIsCheckedOnceEveryTwoMinutesHoweverOftenItsPageReloadsAndReportsOnce()
    {
        var time = new WebRtcChat.Tests.Infrastructure.ManualTime();
        var settings = new WebRtcChatSettings(new WebRtcChatOptions
        {
            Administrators = [new AdministratorOptions { Name = "alice", ConsolePath = "/desk-alice-1", SuperAdministrator = true }],
            Ice = Ice,
        });
        using var parties = new WebRtcChat.Tests.Infrastructure.LobbyParties(settings, time);
        var (tab, ticket) = parties.Join("Bob", host: null);

        Assert.NotNull(tab.CheckConfiguration());
        var (reloaded, _) = parties.Resume(ticket.ResumeToken);
        Assert.Null(reloaded.CheckConfiguration()); // a reload mints nothing new
        time.Advance(WebRtcChat.Components.Signaling.TurnCredentials.CheckLifetime);
        Assert.NotNull(reloaded.CheckConfiguration());

        var report = new ConnectivityReport(false, [new UrlCheck(Tcp, true, null)]);
        Assert.True(reloaded.ReportConnectivity(report));
        Assert.False(reloaded.ReportConnectivity(report with { ServerReflexive = true })); // one report per place
        Assert.Equal(VisitorReach.RelayTcpOnly, parties.Lobby.Current.FindVisitor(ticket.VisitorId)!.Reach);
        time.Advance(WebRtcChat.Components.Signaling.TurnCredentials.CheckLifetime);
        Assert.Null(reloaded.CheckConfiguration()); // reported: nothing more to check
        Assert.Null(parties.Circuit().CheckConfiguration()); // a page that is nobody gets no credentials
    }
}
