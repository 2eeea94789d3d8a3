using Microsoft.Playwright;
using WebRtcChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WebRtcChat.Tests.EndToEnd;

[Collection(BrowserTests.Name)]
public sealed class CallTests(BrowserFixture browsers)
{
    [Fact]
    public async Task AVisitorsRequestAppearsInTheHostConsoleWithNameAndAddressWithinTwoSeconds()
    {
        await using var scenario = await CallScenario.StartAsync(browsers);

        await scenario.RequestChatAsync("Bob");

        var row = scenario.VisitorRow("Bob");
        await Expect(row).ToBeVisibleAsync(new() { Timeout = 2000 });
        await Expect(row).ToContainTextAsync("127.0.0.1");
        await Expect(row).ToContainTextAsync("Chrom");
        await Expect(scenario.Host).ToHaveTitleAsync("(1) Waiting");
    }

    [Fact]
    public async Task AnAnsweredCallCarriesVideoBothWaysThroughTheTurnRelay()
    {
        await using var scenario = await CallScenario.StartAsync(browsers);
        await scenario.RequestChatAsync("Bob");

        await scenario.CallAndAnswerAsync("Bob");

        var (_, host) = await CallScenario.MediaFlowsAsync(scenario.Host);
        var (_, visitor) = await CallScenario.MediaFlowsAsync(scenario.Visitor);
        Assert.Equal("relay", host.LocalCandidateType);
        Assert.Equal("relay", visitor.LocalCandidateType);
        await Expect(scenario.Host.GetByRole(AriaRole.Status).Filter(new() { HasText = "Connected with Bob" })).ToBeVisibleAsync();
        await Expect(scenario.Visitor.GetByRole(AriaRole.Status).Filter(new() { HasText = "Connected with alice" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task MuteAndCameraOffChangeTheSenderTracksAndHangingUpEndsTheCallOnBothSides()
    {
        await using var scenario = await CallScenario.StartAsync(browsers);
        await scenario.RequestChatAsync("Bob");
        await scenario.CallAndAnswerAsync("Bob");
        await CallScenario.MediaFlowsAsync(scenario.Visitor);

        await scenario.Visitor.GetByRole(AriaRole.Button, new() { Name = "Mute" }).ClickAsync();
        await scenario.Visitor.GetByRole(AriaRole.Button, new() { Name = "Camera off" }).ClickAsync();

        await Expect(scenario.Visitor.GetByRole(AriaRole.Button, new() { Name = "Unmute" })).ToBeVisibleAsync();
        await Expect(scenario.Visitor.GetByRole(AriaRole.Button, new() { Name = "Camera on" })).ToBeVisibleAsync();
        var stats = await CallScenario.StatsAsync(scenario.Visitor);
        Assert.Equal((false, false), (stats!.AudioEnabled, stats.VideoEnabled));
        await scenario.Visitor.GetByRole(AriaRole.Button, new() { Name = "Unmute" }).ClickAsync();
        await Expect(scenario.Visitor.GetByRole(AriaRole.Button, new() { Name = "Mute" })).ToBeVisibleAsync();
        Assert.True((await CallScenario.StatsAsync(scenario.Visitor))!.AudioEnabled);

        await scenario.Host.GetByRole(AriaRole.Button, new() { Name = "Hang up" }).ClickAsync();

        await Expect(scenario.Visitor.GetByRole(AriaRole.Heading, new() { Name = "Call ended" })).ToBeVisibleAsync();
        await Expect(scenario.Visitor.GetByRole(AriaRole.Button, new() { Name = "Request again" })).ToBeVisibleAsync();
        await Expect(scenario.Host.GetByLabel("Remote video")).ToHaveCountAsync(0);
        await Expect(scenario.Host.GetByText("Nobody is waiting.")).ToBeVisibleAsync();
        Assert.Null(await CallScenario.StatsAsync(scenario.Host));
        Assert.Null(await CallScenario.StatsAsync(scenario.Visitor));
    }

    [Fact]
    public async Task AVisitorWhoClosesTheTabLeavesTheListAndTheirCallEndsForTheHost()
    {
        await using var scenario = await CallScenario.StartAsync(browsers);
        await scenario.RequestChatAsync("Bob");
        await scenario.CallAndAnswerAsync("Bob");
        await CallScenario.MediaFlowsAsync(scenario.Host);

        await scenario.Visitor.CloseAsync(new() { RunBeforeUnload = true });

        await Expect(scenario.Host.GetByLabel("Remote video")).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        await Expect(scenario.VisitorRow("Bob")).ToHaveCountAsync(0, new() { Timeout = 10_000 });
    }

    [Fact]
    public async Task ACallWorksUnderAHiddenSubDirectoryWithAnotherConsolePath()
    {
        await using var scenario = await CallScenario.StartAsync(browsers, pathBase: "/k3x9/inner", consolePath: "/other-desk-42");
        await scenario.RequestChatAsync("Carol");

        await scenario.CallAndAnswerAsync("Carol");

        await CallScenario.MediaFlowsAsync(scenario.Host);
        await CallScenario.MediaFlowsAsync(scenario.Visitor);
        Assert.StartsWith(scenario.Server.BaseUrl, scenario.Visitor.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReloadedVisitorPageKeepsItsPlace()
    {
        await using var scenario = await CallScenario.StartAsync(browsers);
        await scenario.RequestChatAsync("Bob");
        var row = scenario.VisitorRow("Bob");
        await Expect(row).ToBeVisibleAsync();
        var arrived = await row.Locator("time").GetAttributeAsync("datetime");

        await scenario.Visitor.ReloadAsync();

        await Expect(scenario.Visitor.GetByRole(AriaRole.Heading, new() { Name = "Waiting…" })).ToBeVisibleAsync();
        await Expect(row.Locator(".status")).ToHaveTextAsync("Waiting");
        await Expect(row).ToHaveCountAsync(1);
        Assert.Equal(arrived, await row.Locator("time").GetAttributeAsync("datetime"));
    }
}

[Collection(BrowserTests.Name)]
public sealed class ConsoleTests(BrowserFixture browsers)
{
    [Fact]
    public async Task ADismissedVisitorIsToldTheHostIsNotAvailableAndLeavesTheList()
    {
        await using var scenario = await CallScenario.StartAsync(browsers);
        await scenario.RequestChatAsync("Bob");

        await scenario.Host.GetByRole(AriaRole.Button, new() { Name = "Dismiss Bob" }).ClickAsync();

        await Expect(scenario.Visitor.GetByRole(AriaRole.Heading, new() { Name = "The host is not available right now" })).ToBeVisibleAsync();
        await Expect(scenario.Host.GetByText("Nobody is waiting.")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task AnOpenConsoleClosesWhenItsPathIsChangedInTheFile()
    {
        await using var scenario = await CallScenario.StartAsync(browsers);
        await scenario.RequestChatAsync("Bob");
        await Expect(scenario.VisitorRow("Bob")).ToBeVisibleAsync();

        scenario.Config.Json["Administrators"]![0]!["ConsolePath"] = "/moved-desk-77";
        scenario.Config.Save();

        await Expect(scenario.Host.GetByRole(AriaRole.Heading, new() { Name = "This console is closed" })).ToBeVisibleAsync(new() { Timeout = 5000 });
        await Expect(scenario.Host.GetByText("Bob")).ToHaveCountAsync(0);
        var moved = await scenario.OpenAsync(scenario.Server.BaseUrl + "moved-desk-77");
        await Expect(CallScenario.VisitorRow(moved, "Bob")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task TheHostsAlertChoicesAreRememberedByTheBrowser()
    {
        await using var scenario = await CallScenario.StartAsync(browsers);
        var title = scenario.Host.GetByLabel("Count in tab title");
        await Expect(title).ToBeCheckedAsync();

        await title.UncheckAsync();
        await scenario.RequestChatAsync("Bob");
        await Expect(scenario.VisitorRow("Bob")).ToBeVisibleAsync();
        await Expect(scenario.Host).ToHaveTitleAsync("Console");

        await scenario.Host.ReloadAsync();
        await Expect(scenario.Host.GetByLabel("Count in tab title")).Not.ToBeCheckedAsync();
        await Expect(scenario.Host.GetByLabel("Chime")).ToBeCheckedAsync();
        await scenario.Host.GetByLabel("Count in tab title").CheckAsync();
        await Expect(scenario.Host).ToHaveTitleAsync("(1) Waiting");
    }

    [Fact]
    public async Task TheVisitorPageWorksOnAPhoneSizedScreenByKeyboardAlone()
    {
        await using var scenario = await CallScenario.StartAsync(browsers);
        var phone = scenario.Visitor;
        await phone.SetViewportSizeAsync(375, 667);

        await Expect(phone.GetByLabel("Your name")).ToBeFocusedAsync(); // autofocus
        await phone.Keyboard.TypeAsync("Bob");
        await phone.Keyboard.PressAsync("Tab");
        await Expect(phone.GetByRole(AriaRole.Button, new() { Name = "Request chat" })).ToBeFocusedAsync();
        await phone.Keyboard.PressAsync("Enter");

        await Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "Waiting…" })).ToBeVisibleAsync();
        var cancel = phone.GetByRole(AriaRole.Button, new() { Name = "Cancel" });
        var box = await cancel.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.X >= 0 && box.X + box.Width <= 375, $"Cancel is outside the screen: {box.X}+{box.Width}");
        Assert.True(box.Height >= 40, "touch targets are at least 40 px high");
        var scrollWidth = await phone.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= 375, $"the page scrolls sideways: {scrollWidth}");
    }

    [Fact]
    public async Task ADeniedCameraIsExplainedOnThatSideAndShownOnTheOtherWhileTheCallGoesOn()
    {
        await using var scenario = await CallScenario.StartAsync(browsers);
        // As if the visitor had clicked "Block" in the browser's permission prompt.
        await scenario.Visitor.Context.AddInitScriptAsync(
            "navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));");
        await scenario.Visitor.ReloadAsync();
        await scenario.RequestChatAsync("Bob");

        await scenario.CallAndAnswerAsync("Bob");

        await Expect(scenario.Visitor.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Camera and microphone are blocked" })).ToBeVisibleAsync();
        await Expect(scenario.Host.GetByText("Bob did not allow the camera and microphone.")).ToBeVisibleAsync();
        await CallScenario.MediaFlowsAsync(scenario.Visitor); // the visitor still sees and hears the host
        await Expect(scenario.Visitor.GetByRole(AriaRole.Button, new() { Name = "Mute" })).ToBeDisabledAsync();
    }

    [Fact]
    public async Task ABrowserWithoutPeerConnectionsIsToldBeforeItQueuesAndTheHostSeesNobody()
    {
        await using var scenario = await CallScenario.StartAsync(browsers);
        var old = await scenario.OpenAsync(scenario.Server.BaseUrl, initScript: "delete window.RTCPeerConnection;");

        await old.GetByLabel("Your name").FillAsync("Bob");
        await old.GetByRole(AriaRole.Button, new() { Name = "Request chat" }).ClickAsync();

        await Expect(old.GetByRole(AriaRole.Alert)).ToHaveTextAsync("This browser cannot make video calls. Please use a recent Firefox, Chrome, Edge or Safari.");
        await Expect(old.GetByRole(AriaRole.Heading, new() { Name = "Video chat" })).ToBeVisibleAsync();
        await Expect(scenario.Host.GetByText("Nobody is waiting.")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ACallWhoseVisitorsBrowserCannotStartItsPeerEndsOnBothSidesWithin20SecondsSayingWhoseBrowserItWas()
    {
        await using var scenario = await CallScenario.StartAsync(browsers);
        var broken = await scenario.OpenAsync(scenario.Server.BaseUrl,
            initScript: "window.RTCPeerConnection = function () { throw new DOMException('refused', 'NotSupportedError'); };");
        await CallScenario.RequestChatAsync(broken, "Bob");

        await scenario.Host.GetByRole(AriaRole.Button, new() { Name = "Call Bob" }).ClickAsync();
        await broken.GetByRole(AriaRole.Button, new() { Name = "Answer" }).ClickAsync();

        await Expect(scenario.Host.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Could not connect with Bob" }))
            .ToContainTextAsync("Bob's browser did not start its side of the call", new() { Timeout = 20_000 });
        await Expect(broken.GetByRole(AriaRole.Status).Filter(new() { HasText = "Your browser could not start the call." })).ToBeVisibleAsync(new() { Timeout = 2000 });
        await Expect(broken.GetByRole(AriaRole.Heading, new() { Name = "Waiting…" })).ToBeVisibleAsync(); // the place is kept
    }
}
