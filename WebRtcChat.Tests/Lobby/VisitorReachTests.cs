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
}
