using Microsoft.Playwright;
using WebRtcChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WebRtcChat.Tests.EndToEnd;

/// <summary>
/// Both pages at a phone's size, upright and sideways, and on a desktop: nothing wider than the screen. Each screen's
/// picture is kept in <c>artifacts/screenshots</c> (not committed) to be looked at.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class LayoutTests(BrowserFixture browsers)
{
    private static readonly (int Width, int Height)[] Sizes = [(390, 844), (844, 390), (1280, 800)];
    private readonly List<string> _overflows = [];

    private async Task CheckAsync(IPage page, string screen)
    {
        var directory = Directory.CreateDirectory(Path.Combine(RepositoryPaths.Root, "artifacts", "screenshots")).FullName;
        foreach (var (width, height) in Sizes)
        {
            await page.SetViewportSizeAsync(width, height);
            await page.WaitForTimeoutAsync(100); // one layout
            var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
            var (scrollWidth, innerWidth) = (widths[0], widths[1]);
            if (scrollWidth > innerWidth)
            {
                _overflows.Add($"{screen} at {width}×{height}: {scrollWidth} px wide");
            }

            await page.ScreenshotAsync(new() { Path = Path.Combine(directory, $"{screen}-{width}x{height}.png"), FullPage = true });
        }
    }

    [Fact]
    public async Task NoScreenIsWiderThanAPhoneUprightOrSidewaysOrADesktop()
    {
        await using var scenario = await CallScenario.StartAsync(browsers);
        await CheckAsync(scenario.Visitor, "visitor-form");
        await CheckAsync(scenario.Host, "console-empty");

        await scenario.RequestChatAsync("Bob-with-a-rather-long-name-to-wrap");
        await Expect(scenario.VisitorRow("Bob-with-a-rather-long-name-to-wrap")).ToBeVisibleAsync();
        await CheckAsync(scenario.Visitor, "visitor-waiting");
        await CheckAsync(scenario.Host, "console-waiting");

        await scenario.Host.SetViewportSizeAsync(1000, 800);
        await scenario.Host.GetByRole(AriaRole.Button, new() { Name = "Call Bob-with-a-rather-long-name-to-wrap" }).ClickAsync();
        await Expect(scenario.Visitor.GetByRole(AriaRole.Heading, new() { Name = "alice is calling" })).ToBeVisibleAsync();
        await scenario.Visitor.GetByRole(AriaRole.Button, new() { Name = "Devices" }).ClickAsync(); // the picker open, with a device name too long for a phone
        await scenario.Visitor.GetByRole(AriaRole.Combobox, new() { Name = "Microphone" }).EvaluateAsync(
            "s => s.add(new Option('Microphone Array (Realtek(R) High Definition Audio with a long name) (0bda:0299)', 'long'))");
        await CheckAsync(scenario.Visitor, "visitor-ringing");

        await scenario.Visitor.GetByRole(AriaRole.Button, new() { Name = "Answer" }).ClickAsync();
        await CallScenario.MediaFlowsAsync(scenario.Host);
        await scenario.Visitor.GetByRole(AriaRole.Button, new() { Name = "Chat" }).ClickAsync();
        await CheckAsync(scenario.Visitor, "visitor-in-call");
        await scenario.Host.GetByRole(AriaRole.Button, new() { Name = "Devices" }).ClickAsync();
        await CheckAsync(scenario.Host, "console-in-call");

        Assert.True(_overflows.Count == 0, string.Join("\n", _overflows));
    }
}
