using System.Diagnostics;
using Microsoft.Playwright;
using WebRtcChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WebRtcChat.Tests.EndToEnd;

/// <summary>
/// A connected call when the visitor's network changes under it, or their page's connection to the server drops:
/// across the lab's routers, both sides behind ordinary home routers, all three relay URLs configured.
/// </summary>
[Collection(LabTests.Name)]
public sealed class RecoveryTests(LabFixture lab) : IAsyncLifetime
{
    public Task InitializeAsync()
    {
        if (lab.Lab is not null)
        {
            lab.Lab.ResetMachines();
            lab.Lab.SetRouter(LabSide.Host, LabNat.EndpointIndependent);
            lab.Lab.SetRouter(LabSide.Visitor, LabNat.EndpointIndependent);
        }

        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        if (lab.Lab is not null)
        {
            lab.Lab.ResetMachines();
            lab.Lab.ResetRouters();
        }

        return Task.CompletedTask;
    }

    private async Task<CallScenario> ConnectedAsync()
    {
        var scenario = await CallScenario.StartInLabAsync(lab, [lab.Turn.Url, lab.Turn.TcpUrl, lab.Turn.TlsUrl]);
        await scenario.RequestChatAsync("Bob");
        await scenario.CallAndAnswerAsync("Bob");
        await CallScenario.MediaFlowsAsync(scenario.Host);
        await CallScenario.MediaFlowsAsync(scenario.Visitor);
        return scenario;
    }

    // Media flows again on both sides within the time given, and both say they are connected.
    private static async Task ConnectedAgainAsync(CallScenario scenario, TimeSpan within)
    {
        await CallScenario.MediaFlowsAgainAsync(scenario.Host, within);
        await CallScenario.MediaFlowsAgainAsync(scenario.Visitor, within);
        await Expect(scenario.Host.GetByRole(AriaRole.Status).Filter(new() { HasText = "Connected with Bob" })).ToBeVisibleAsync();
        await Expect(scenario.Visitor.GetByRole(AriaRole.Status).Filter(new() { HasText = "Connected with alice" })).ToBeVisibleAsync();
    }

    [LabFact]
    public async Task ACallRecoversWithinTenSecondsOfTheVisitorsLinkComingBackAfterFiveSecondsDown()
    {
        await using var scenario = await ConnectedAsync();

        lab.Lab.SetLink(LabSide.Visitor, up: false);
        await Expect(scenario.Host.GetByRole(AriaRole.Status).Filter(new() { HasText = "Reconnecting…" })).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Task.Delay(TimeSpan.FromSeconds(5) - TimeSpan.FromSeconds(1));
        lab.Lab.SetLink(LabSide.Visitor, up: true);

        await ConnectedAgainAsync(scenario, within: TimeSpan.FromSeconds(10));
    }

    [LabFact]
    public async Task ACallRecoversWithinFifteenSecondsWhenTheVisitorsAddressChanges()
    {
        await using var scenario = await ConnectedAsync();

        lab.Lab.SetMachineAddress(LabSide.Visitor, "198.51.100.140");
        await Expect(scenario.Host.GetByRole(AriaRole.Status).Filter(new() { HasText = "Reconnecting…" })).ToBeVisibleAsync(new() { Timeout = 10_000 });

        // Chromium gathers on the new address by itself and the pair moves; failing that, the pages restart ICE.
        await ConnectedAgainAsync(scenario, within: TimeSpan.FromSeconds(15));
    }

    [LabFact]
    public async Task ACallGoesOnWhileTheVisitorsPageReconnectsToTheServerAndAfterwardsMuteRenegotiationAndHangUpWork()
    {
        await using var scenario = await ConnectedAsync();
        // Blazor's own reconnect display: a host element, shown while the circuit is reconnecting.
        const string Reconnecting = "() => document.getElementById('components-reconnect-modal')?.style.display === 'block'";

        lab.Lab.SetRouter(LabSide.Visitor, LabNat.EndpointIndependent, LabFilter.ResetHttps);
        await scenario.Visitor.WaitForFunctionAsync(Reconnecting, null, new() { Timeout = 30_000 }); // the next packet either way is reset: a ping within 15 s
        await CallScenario.MediaFlowsAsync(scenario.Host); // media does not need the server

        // While the circuit is down the media path drops too, so the pages restart ICE: their offers and answers
        // must wait for the circuit and cross it once it is back.
        lab.Lab.SetLink(LabSide.Visitor, up: false);
        await Expect(scenario.Host.GetByRole(AriaRole.Status).Filter(new() { HasText = "Reconnecting…" })).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Task.Delay(TimeSpan.FromSeconds(4));
        lab.Lab.SetLink(LabSide.Visitor, up: true);
        lab.Lab.SetRouter(LabSide.Visitor, LabNat.EndpointIndependent);
        await scenario.Visitor.WaitForFunctionAsync($"() => !({Reconnecting})()", null, new() { Timeout = 30_000 });
        await ConnectedAgainAsync(scenario, within: TimeSpan.FromSeconds(20));
        Assert.True(await Eventually.HoldsAsync(async () =>
            (await CallScenario.StatsAsync(scenario.Host))?.SignalingState == "stable" && (await CallScenario.StatsAsync(scenario.Visitor))?.SignalingState == "stable",
            TimeSpan.FromSeconds(15)), "a renegotiation was left half done");

        await scenario.Visitor.GetByRole(AriaRole.Button, new() { Name = "Mute" }).ClickAsync();
        await Expect(scenario.Visitor.GetByRole(AriaRole.Button, new() { Name = "Unmute" })).ToBeVisibleAsync();
        Assert.False((await CallScenario.StatsAsync(scenario.Visitor))!.AudioEnabled);

        lab.Lab.SetLink(LabSide.Visitor, up: false); // renegotiation: the ICE restart's offer and answer cross the reconnected circuit
        await Expect(scenario.Host.GetByRole(AriaRole.Status).Filter(new() { HasText = "Reconnecting…" })).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Task.Delay(TimeSpan.FromSeconds(4));
        lab.Lab.SetLink(LabSide.Visitor, up: true);
        await ConnectedAgainAsync(scenario, within: TimeSpan.FromSeconds(10));

        await scenario.Host.GetByRole(AriaRole.Button, new() { Name = "Hang up" }).ClickAsync();
        await Expect(scenario.Visitor.GetByRole(AriaRole.Heading, new() { Name = "Call ended" })).ToBeVisibleAsync();
    }

    [LabFact]
    public async Task AConnectedCallWhoseVisitorIsGoneForGoodIsGivenUpAfterAtMostThreeRestarts()
    {
        await using var scenario = await ConnectedAsync();
        var restarts = 0.0;

        lab.Lab.SetLink(LabSide.Visitor, up: false);
        var lost = scenario.Host.GetByRole(AriaRole.Alert).Filter(new() { HasText = "The connection with Bob was lost and could not be restored." });
        var watch = Stopwatch.StartNew();
        while (!await lost.IsVisibleAsync() && watch.Elapsed < TimeSpan.FromSeconds(45))
        {
            restarts = Math.Max(restarts, (await CallScenario.StatsAsync(scenario.Host))?.Restarts ?? 0);
            await Task.Delay(250);
        }

        await Expect(lost).ToBeVisibleAsync();
        Assert.Equal(3, restarts); // MAX_RESTARTS in webrtc-call.js
        Assert.Empty(scenario.Host.GetByLabel("Remote video") is { } video ? await video.AllAsync() : []);
    }
}
