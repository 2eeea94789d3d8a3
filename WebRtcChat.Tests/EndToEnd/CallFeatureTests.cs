using System.Text;
using Microsoft.Playwright;
using WebRtcChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WebRtcChat.Tests.EndToEnd;

/// <summary>What people expect of a call beyond sound and picture: chat, screen share, the self-view and the clock.</summary>
[Collection(BrowserTests.Name)]
public sealed class CallFeatureTests(BrowserFixture browsers)
{
    private static async Task<CallScenario> ConnectedAsync(BrowserFixture browsers)
    {
        var scenario = await CallScenario.StartAsync(browsers);
        await scenario.RequestChatAsync("Bob");
        await scenario.CallAndAnswerAsync("Bob");
        await CallScenario.MediaFlowsAsync(scenario.Host);
        await CallScenario.MediaFlowsAsync(scenario.Visitor);
        return scenario;
    }

    [Fact]
    public async Task ChatMessagesGoBothWaysBrowserToBrowserWithAnUnreadCountAndNeverThroughTheServer()
    {
        await using var scenario = await ConnectedAsync(browsers);
        const string ToBob = "Hello Bob <b>zq-chat-7d1f</b>", ToAlice = "Hi alice zq-chat-93ab"; // markers no SDP or id holds by chance

        await scenario.Host.GetByRole(AriaRole.Button, new() { Name = "Chat" }).ClickAsync();
        await scenario.Host.GetByRole(AriaRole.Textbox, new() { Name = "Message" }).FillAsync(ToBob);
        await scenario.Host.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();

        await Expect(scenario.Visitor.GetByRole(AriaRole.Button, new() { Name = "Chat, 1 unread" })).ToBeVisibleAsync();
        await scenario.Visitor.GetByRole(AriaRole.Button, new() { Name = "Chat, 1 unread" }).ClickAsync();
        var visitorLog = scenario.Visitor.GetByRole(AriaRole.List, new() { Name = "Chat messages" });
        await Expect(visitorLog.GetByRole(AriaRole.Listitem)).ToHaveTextAsync(ToBob); // as text: the markup is shown, not run
        await Expect(visitorLog.Locator("b")).ToHaveCountAsync(0);
        await scenario.Visitor.GetByRole(AriaRole.Textbox, new() { Name = "Message" }).FillAsync(ToAlice);
        await scenario.Visitor.GetByRole(AriaRole.Textbox, new() { Name = "Message" }).PressAsync("Enter");
        await Expect(scenario.Host.GetByRole(AriaRole.List, new() { Name = "Chat messages" }).GetByRole(AriaRole.Listitem).Last).ToHaveTextAsync(ToAlice);

        await Task.Delay(TimeSpan.FromSeconds(1)); // any circuit traffic about them would have gone by now
        foreach (var text in new[] { "zq-chat-7d1f", "zq-chat-93ab" })
        {
            Assert.DoesNotContain(scenario.CircuitFrames, frame => frame.Contains(text, StringComparison.Ordinal)
                || Encoding.UTF8.GetString(TryBase64(frame)).Contains(text, StringComparison.Ordinal));
            Assert.DoesNotContain(text, scenario.Server.Output, StringComparison.Ordinal);
        }

        Assert.NotEmpty(scenario.CircuitFrames); // the recorder saw the circuits' traffic at all
    }

    [Fact]
    public async Task SharingTheScreenReplacesTheCameraWithoutDroppingTheCallAndStoppingBringsItBack()
    {
        await using var scenario = await ConnectedAsync(browsers);
        var camera = (await CallScenario.StatsAsync(scenario.Visitor))!;

        await scenario.Host.GetByRole(AriaRole.Button, new() { Name = "Share screen" }).ClickAsync();
        await Expect(scenario.Host.GetByRole(AriaRole.Button, new() { Name = "Stop sharing" })).ToBeVisibleAsync();

        Assert.True(await Eventually.HoldsAsync(async () => (await CallScenario.StatsAsync(scenario.Visitor))?.FrameWidth != camera.FrameWidth, TimeSpan.FromSeconds(15)),
            $"the visitor still receives {camera.FrameWidth}×{camera.FrameHeight}");
        await CallScenario.MediaFlowsAgainAsync(scenario.Visitor, TimeSpan.FromSeconds(10)); // the shared screen, decoded
        await Expect(scenario.Host.GetByLabel("Your camera")).ToHaveClassAsync("local-video sharing"); // not mirrored

        await scenario.Host.GetByRole(AriaRole.Button, new() { Name = "Stop sharing" }).ClickAsync();
        Assert.True(await Eventually.HoldsAsync(async () => (await CallScenario.StatsAsync(scenario.Visitor))?.FrameWidth == camera.FrameWidth, TimeSpan.FromSeconds(15)));
        await CallScenario.MediaFlowsAgainAsync(scenario.Visitor, TimeSpan.FromSeconds(10));
        await Expect(scenario.Host.GetByRole(AriaRole.Status).Filter(new() { HasText = "Connected with Bob" })).ToBeVisibleAsync(); // one call throughout
    }

    [Fact]
    public async Task TheSelfViewIsMirroredAndTheCallTimeRuns()
    {
        await using var scenario = await ConnectedAsync(browsers);

        var transform = await scenario.Visitor.GetByLabel("Your camera").EvaluateAsync<string>("v => getComputedStyle(v).transform");
        Assert.Equal("matrix(-1, 0, 0, 1, 0, 0)", transform);
        var timer = scenario.Visitor.GetByLabel("Call time");
        var first = await timer.TextContentAsync();
        await Expect(timer).Not.ToHaveTextAsync(first!, new() { Timeout = 5000 });
        await Expect(timer).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+:\d\d$"));
    }

    [Fact]
    public async Task FullScreenAndPictureInPictureShowTheOtherPersonsVideoAndTheCallGoesOn()
    {
        await using var scenario = await ConnectedAsync(browsers);
        var visitor = scenario.Visitor;
        await visitor.BringToFrontAsync(); // full screen wants the focused tab

        await visitor.GetByRole(AriaRole.Button, new() { Name = "Full screen" }).ClickAsync();
        Assert.True(await Eventually.HoldsAsync(async () => await visitor.EvaluateAsync<string?>("() => document.fullscreenElement?.getAttribute('aria-label') ?? null") == "Remote video",
            TimeSpan.FromSeconds(15)), "the remote video did not go full screen");
        await visitor.EvaluateAsync("() => document.exitFullscreen()"); // what Esc does
        await CallScenario.MediaFlowsAgainAsync(visitor, TimeSpan.FromSeconds(10));

        var pictureInPicture = visitor.GetByRole(AriaRole.Button, new() { Name = "Picture in picture" });
        await pictureInPicture.ClickAsync();
        Assert.True(await Eventually.HoldsAsync(async () => await visitor.EvaluateAsync<string?>("() => document.pictureInPictureElement?.getAttribute('aria-label') ?? null") == "Remote video",
            TimeSpan.FromSeconds(15)), "the remote video did not go picture-in-picture");
        await pictureInPicture.ClickAsync(); // the same button brings it back
        Assert.True(await Eventually.HoldsAsync(async () => await visitor.EvaluateAsync<bool>("() => document.pictureInPictureElement === null"), TimeSpan.FromSeconds(15)));
        await CallScenario.MediaFlowsAgainAsync(visitor, TimeSpan.FromSeconds(10));
        await Expect(visitor.GetByRole(AriaRole.Status).Filter(new() { HasText = "Connected with alice" })).ToBeVisibleAsync();
    }

    private static byte[] TryBase64(string frame)
    {
        var buffer = new byte[frame.Length];
        return Convert.TryFromBase64String(frame, buffer, out var written) ? buffer[..written] : [];
    }
}
