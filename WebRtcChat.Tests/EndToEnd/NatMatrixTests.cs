using Microsoft.Playwright;
using WebRtcChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WebRtcChat.Tests.EndToEnd;

/// <summary>
/// Whole calls across the network lab's routers, each asserting the path the browsers' getStats() report for the
/// selected candidate pair. TURN is configured as the README says: UDP and TCP on 3478, TLS on 443.
/// </summary>
[Collection(LabTests.Name)]
public sealed class NatMatrixTests(LabFixture lab) : IAsyncLifetime
{
    private string[] AllTurnUrls => [lab.Turn.Url, lab.Turn.TcpUrl, lab.Turn.TlsUrl];

    public Task InitializeAsync()
    {
        lab.Lab?.ResetRouters();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => InitializeAsync();

    [LabFact]
    public async Task WithoutNatTheCallGoesDirectlyBetweenHostCandidates()
    {
        var (host, visitor) = await ConnectAsync();

        Assert.Equal(("host", "host"), (host.LocalCandidateType, host.RemoteCandidateType));
        Assert.Equal(("host", "host"), (visitor.LocalCandidateType, visitor.RemoteCandidateType));
    }

    [LabFact]
    public async Task BehindTwoEndpointIndependentNatsTheCallGoesDirectlyThroughTheTranslatedAddresses()
    {
        lab.Lab.SetRouter(LabSide.Host, LabNat.EndpointIndependent);
        lab.Lab.SetRouter(LabSide.Visitor, LabNat.EndpointIndependent);

        var (host, visitor) = await ConnectAsync();

        Assert.Equal("srflx|srflx", $"{host.LocalCandidateType}|{visitor.LocalCandidateType}");
    }

    [LabFact]
    public async Task BehindTwoSymmetricNatsTheCallGoesThroughTheRelay()
    {
        lab.Lab.SetRouter(LabSide.Host, LabNat.Symmetric);
        lab.Lab.SetRouter(LabSide.Visitor, LabNat.Symmetric);

        var (host, visitor) = await ConnectAsync();

        // One side's relay suffices: the other reaches it from whatever port its NAT gives (a peer-reflexive candidate).
        Assert.True(IsRelayed(host) && IsRelayed(visitor), $"not relayed: {host} / {visitor}");
    }

    [LabFact]
    public async Task AVisitorNetworkThatDropsUdpReachesTheRelayOverTcp()
    {
        lab.Lab.SetRouter(LabSide.Host, LabNat.EndpointIndependent);
        lab.Lab.SetRouter(LabSide.Visitor, LabNat.EndpointIndependent, LabFilter.NoUdp);

        var (host, visitor) = await ConnectAsync();

        Assert.Equal(("relay", "tcp"), (visitor.LocalCandidateType, visitor.RelayProtocol));
        Assert.Equal("relay", host.RemoteCandidateType);
    }

    [LabFact]
    public async Task AVisitorNetworkThatAllowsOnlyTcp443ReachesTheRelayOverTls()
    {
        lab.Lab.SetRouter(LabSide.Host, LabNat.EndpointIndependent);
        lab.Lab.SetRouter(LabSide.Visitor, LabNat.EndpointIndependent, LabFilter.OnlyTcp443);

        var (host, visitor) = await ConnectAsync();

        Assert.Equal(("relay", "tls"), (visitor.LocalCandidateType, visitor.RelayProtocol));
        Assert.Equal("relay", host.RemoteCandidateType);
    }

    [LabFact]
    public async Task WithRelayOnlyBothSidesSendThroughTheRelayEvenWithoutNat()
    {
        var (host, visitor) = await ConnectAsync(relayOnly: true);

        Assert.Equal("relay|relay", $"{host.LocalCandidateType}|{visitor.LocalCandidateType}");
    }

    [LabFact]
    public async Task WhenTheVisitorsNetworkDropsUdpAndOnlyAUdpRelayIsConfiguredBothSidesSayWhyOnceWithinTwentySeconds()
    {
        lab.Lab.SetRouter(LabSide.Host, LabNat.EndpointIndependent);
        lab.Lab.SetRouter(LabSide.Visitor, LabNat.EndpointIndependent, LabFilter.NoUdp);
        await using var scenario = await CallScenario.StartInLabAsync(lab, [lab.Turn.Url]);
        await scenario.RequestChatAsync("Bob");
        await scenario.Host.GetByRole(AriaRole.Button, new() { Name = "Call Bob" }).ClickAsync();
        await scenario.Visitor.GetByRole(AriaRole.Button, new() { Name = "Answer" }).ClickAsync();
        var answered = DateTime.UtcNow;

        var hostSays = scenario.Host.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Could not connect with Bob" });
        await Expect(hostSays).ToContainTextAsync("Bob's network blocks UDP, and no TCP or TLS relay is configured", new() { Timeout = 20_000 });
        var visitorSays = scenario.Visitor.GetByRole(AriaRole.Status).Filter(new() { HasText = "Your network does not let the call through" });
        await Expect(visitorSays).ToContainTextAsync("You keep your place; alice can try again."); // also within the twenty seconds, below
        Assert.True(DateTime.UtcNow - answered < TimeSpan.FromSeconds(20), $"told after {DateTime.UtcNow - answered}");

        await Task.Delay(TimeSpan.FromSeconds(8)); // no flapping back to "Connecting…"
        await Expect(hostSays).ToBeVisibleAsync();
        await Expect(visitorSays).ToBeVisibleAsync();
        await Expect(scenario.Host.GetByText("Connecting to Bob")).ToHaveCountAsync(0);
        await Expect(scenario.Visitor.GetByRole(AriaRole.Heading, new() { Name = "Waiting…" })).ToBeVisibleAsync();

        await scenario.Host.GetByRole(AriaRole.Button, new() { Name = "Try again" }).ClickAsync();
        await Expect(scenario.Visitor.GetByRole(AriaRole.Heading, new() { Name = "alice is calling" })).ToBeVisibleAsync();
    }

    private static bool IsRelayed(PeerStats stats) => stats.LocalCandidateType == "relay" || stats.RemoteCandidateType == "relay";

    // What the call's path line starts with for these stats, e.g. "Relayed · TLS".
    private static string PathLine(PeerStats stats) =>
        $"{(IsRelayed(stats) ? "Relayed" : "Direct")} · {(stats.LocalCandidateType == "relay" ? stats.RelayProtocol : stats.LocalProtocol)!.ToUpperInvariant()}";

    // A visitor requests, the host calls, the visitor answers; returns each side's stats once media flows.
    private async Task<(PeerStats Host, PeerStats Visitor)> ConnectAsync(bool relayOnly = false)
    {
        await using var scenario = await CallScenario.StartInLabAsync(lab, AllTurnUrls, relayOnly);
        await scenario.RequestChatAsync("Bob");
        await scenario.CallAndAnswerAsync("Bob");
        var (_, host) = await CallScenario.MediaFlowsAsync(scenario.Host);
        var (_, visitor) = await CallScenario.MediaFlowsAsync(scenario.Visitor);

        // Both sides show the path they see; the console keeps the host's in its recent calls.
        await Expect(scenario.Host.GetByLabel("Connection", new() { Exact = true })).ToContainTextAsync(PathLine(host));
        await Expect(scenario.Visitor.GetByLabel("Connection", new() { Exact = true })).ToContainTextAsync(PathLine(visitor));
        var path = PathLine(host).Replace(" · ", ", ", StringComparison.Ordinal).ToLowerInvariant().Replace("udp", "UDP", StringComparison.Ordinal)
            .Replace("tcp", "TCP", StringComparison.Ordinal).Replace("tls", "TLS", StringComparison.Ordinal);
        await Expect(scenario.Host.GetByRole(AriaRole.Table, new() { Name = "Recent calls" })).ToContainTextAsync(path);
        return (host, visitor);
    }
}
