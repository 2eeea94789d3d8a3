using WebRtcChat.Tests.Infrastructure;

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

    private static bool IsRelayed(PeerStats stats) => stats.LocalCandidateType == "relay" || stats.RemoteCandidateType == "relay";

    // A visitor requests, the host calls, the visitor answers; returns each side's stats once media flows.
    private async Task<(PeerStats Host, PeerStats Visitor)> ConnectAsync(bool relayOnly = false)
    {
        await using var scenario = await CallScenario.StartInLabAsync(lab, AllTurnUrls, relayOnly);
        await scenario.RequestChatAsync("Bob");
        await scenario.CallAndAnswerAsync("Bob");
        var (_, host) = await CallScenario.MediaFlowsAsync(scenario.Host);
        var (_, visitor) = await CallScenario.MediaFlowsAsync(scenario.Visitor);
        return (host, visitor);
    }
}
