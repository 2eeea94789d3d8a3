using System.Text.Json;
using Microsoft.Playwright;
using WebRtcChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WebRtcChat.Tests.EndToEnd;

/// <summary>
/// Calls between two engines: Debian's firefox-esr, driven over WebDriver BiDi, on one side and Playwright's Chromium
/// on the other, with all media through the TURN relay as in <see cref="CallTests"/>.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class FirefoxCallTests(BrowserFixture browsers, FirefoxFixture firefox) : IClassFixture<FirefoxFixture>
{
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task AFirefoxVisitorAndAChromiumHostSeeEachOthersVideoChatBothWaysAndHangingUpEndsBoth()
    {
        await using var scenario = await CallScenario.StartServerAsync(browsers);
        var host = await OpenConsoleAsync(scenario);
        await using var visitor = await firefox.Firefox.NewTabAsync(scenario.Server.BaseUrl);
        await visitor.FillAsync("Your name", "Bob");
        await visitor.ClickButtonAsync("Request chat");
        await visitor.WaitForHeadingAsync("Waiting…");
        await Expect(CallScenario.VisitorRow(host, "Bob")).ToContainTextAsync("Firefox");

        await host.GetByRole(AriaRole.Button, new() { Name = "Call Bob" }).ClickAsync();
        await visitor.WaitForHeadingAsync("alice is calling");
        await visitor.ClickButtonAsync("Answer");

        await Expect(host.GetByLabel("Remote video")).ToBeVisibleAsync();
        await visitor.WaitForLabelledAsync("Remote video");
        var (_, hostSees) = await CallScenario.MediaFlowsAsync(host);
        var (_, visitorSees) = await CallScenario.MediaFlowsAsync(() => StatsAsync(visitor));
        Assert.Equal(("relay", "relay"), (hostSees.LocalCandidateType, visitorSees.LocalCandidateType));
        await Expect(host.GetByRole(AriaRole.Status).Filter(new() { HasText = "Connected with Bob" })).ToBeVisibleAsync();
        await visitor.WaitForTextAsync("Connected with alice");
        await Expect(host.GetByLabel("Connection", new() { Exact = true })).ToContainTextAsync("Relayed · UDP");
        await visitor.WaitForTextAsync("Relayed · UDP");

        // The chat's data channel, negotiated with the media, between the two engines.
        await visitor.ClickButtonAsync("Chat");
        await visitor.FillAsync("Message", "Hello from Firefox");
        await visitor.ClickButtonAsync("Send");
        await host.GetByRole(AriaRole.Button, new() { Name = "Chat, 1 unread" }).ClickAsync();
        await Expect(host.GetByRole(AriaRole.List, new() { Name = "Chat messages" })).ToContainTextAsync("Hello from Firefox");
        await host.GetByRole(AriaRole.Textbox, new() { Name = "Message" }).FillAsync("Hello from Chromium");
        await host.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await visitor.WaitForTextAsync("Hello from Chromium");

        await visitor.ClickButtonAsync("Hang up");

        await visitor.WaitForHeadingAsync("Call ended");
        await Expect(host.GetByLabel("Remote video")).ToHaveCountAsync(0);
        await Expect(host.GetByRole(AriaRole.Status).Filter(new() { HasText = "Call ended:" })).ToBeVisibleAsync();
        Assert.Null(await CallScenario.StatsAsync(host));
        Assert.Null(await StatsAsync(visitor));
    }

    [Fact]
    public async Task AChromiumVisitorAndAFirefoxHostSeeEachOthersVideoAndHangingUpEndsBoth()
    {
        await using var scenario = await CallScenario.StartServerAsync(browsers);
        await using var host = await firefox.Firefox.NewTabAsync(ConsoleUrl(scenario));
        await host.WaitForHeadingAsync("Waiting visitors");
        var visitor = await scenario.OpenAsync(scenario.Server.BaseUrl);
        await CallScenario.RequestChatAsync(visitor, "Bob");

        await host.ClickButtonAsync("Call Bob");
        await Expect(visitor.GetByRole(AriaRole.Heading, new() { Name = "alice is calling" })).ToBeVisibleAsync();
        await visitor.GetByRole(AriaRole.Button, new() { Name = "Answer" }).ClickAsync();

        await host.WaitForLabelledAsync("Remote video");
        await Expect(visitor.GetByLabel("Remote video")).ToBeVisibleAsync();
        var (_, hostSees) = await CallScenario.MediaFlowsAsync(() => StatsAsync(host));
        var (_, visitorSees) = await CallScenario.MediaFlowsAsync(visitor);
        Assert.Equal(("relay", "relay"), (hostSees.LocalCandidateType, visitorSees.LocalCandidateType));
        await host.WaitForTextAsync("Connected with Bob");
        await Expect(visitor.GetByRole(AriaRole.Status).Filter(new() { HasText = "Connected with alice" })).ToBeVisibleAsync();
        await host.WaitForTextAsync("Relayed · UDP");
        await Expect(visitor.GetByLabel("Connection", new() { Exact = true })).ToContainTextAsync("Relayed · UDP");

        await host.ClickButtonAsync("Hang up");

        await Expect(visitor.GetByRole(AriaRole.Heading, new() { Name = "Call ended" })).ToBeVisibleAsync();
        await host.WaitForLabelledAsync("Remote video", present: false);
        await host.WaitForTextAsync("Call ended:");
        Assert.Null(await StatsAsync(host));
        Assert.Null(await CallScenario.StatsAsync(visitor));
    }

    [Fact]
    public async Task AFirefoxVisitorWithNoCameraWhoseMicrophoneIsSlowerThanTheHostsOfferSeesTheHostOnOneVideoTransceiver()
    {
        await using var scenario = await CallScenario.StartServerAsync(browsers);
        var host = await OpenConsoleAsync(scenario);
        await using var visitor = await firefox.Firefox.NewTabAsync(scenario.Server.BaseUrl, PageScripts.NoCameraAndASlowMicrophone);
        await visitor.FillAsync("Your name", "Bob");
        await visitor.ClickButtonAsync("Request chat");
        await visitor.WaitForHeadingAsync("Waiting…");
        await host.GetByRole(AriaRole.Button, new() { Name = "Call Bob" }).ClickAsync();
        await visitor.WaitForHeadingAsync("alice is calling");
        await visitor.ClickButtonAsync("Answer");

        await CallScenario.MediaFlowsAsync(() => StatsAsync(visitor)); // the host's camera, decoded in Firefox
        await Expect(host.GetByText("Bob has no camera; audio only.")).ToBeVisibleAsync();
        const string Kinds = "async () => (await import('./js/webrtc-call.js')).openPeerSenders().then((all) => all[0].map((s) => s.kind).sort())";
        Assert.True(await Eventually.HoldsAsync(async () => (await StatsAsync(visitor))?.SignalingState == "stable", TimeSpan.FromSeconds(10)));
        Assert.Equal(["audio", "video"], (await visitor.EvaluateAsync(Kinds)).Deserialize<string[]>()!);
        Assert.Equal(["audio", "video"], await host.EvaluateAsync<string[]>(Kinds));
    }

    private static string ConsoleUrl(CallScenario scenario) => scenario.Server.BaseUrl + TestConfig.AliceConsolePath.TrimStart('/');

    private static async Task<IPage> OpenConsoleAsync(CallScenario scenario)
    {
        var console = await scenario.OpenAsync(LabSide.Host, ConsoleUrl(scenario));
        await Expect(console.GetByRole(AriaRole.Heading, new() { Name = "Waiting visitors" })).ToBeVisibleAsync();
        return console;
    }

    /// <summary>The stats of the Firefox page's open peer connection, read through the call module as in Chromium.</summary>
    private static async Task<PeerStats?> StatsAsync(FirefoxTab tab)
    {
        var all = await tab.EvaluateAsync("async () => (await import('./js/webrtc-call.js')).openPeerStats()");
        return all.GetArrayLength() == 0 ? null : all[0].Deserialize<PeerStats>(WebJson);
    }
}
