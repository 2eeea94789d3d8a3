using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using WebRtcChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WebRtcChat.Tests.EndToEnd;

/// <summary>Every screen of both pages, checked by axe-core in the browser: no serious or critical violation.</summary>
[Collection(BrowserTests.Name)]
public sealed class AccessibilityTests(BrowserFixture browsers)
{
    private readonly List<string> _violations = [];

    private async Task CheckAsync(IPage page, string screen)
    {
        var results = await page.RunAxe();
        foreach (var violation in results.Violations.Where(v => v.Impact is "serious" or "critical"))
        {
            _violations.Add($"{screen}: {violation.Impact} {violation.Id} ({violation.Help}) at {string.Join(", ", violation.Nodes.Select(n => n.Html).Take(3))}");
        }
    }

    [Theory]
    [InlineData("light")]
    [InlineData("dark")] // the colours follow prefers-color-scheme: each scheme's contrast is its own
    public async Task EveryScreenOfTheVisitorsPageAndTheConsoleHasNoSeriousOrCriticalViolation(string scheme)
    {
        await using var scenario = await CallScenario.StartAsync(browsers);
        var colours = new PageEmulateMediaOptions { ColorScheme = scheme == "dark" ? ColorScheme.Dark : ColorScheme.Light };
        await scenario.Host.EmulateMediaAsync(colours);
        await scenario.Visitor.EmulateMediaAsync(colours);
        Assert.Equal(scheme == "dark", await scenario.Visitor.EvaluateAsync<bool>("() => matchMedia('(prefers-color-scheme: dark)').matches"));

        // The check itself: a button with no name is a critical violation, and is found.
        await scenario.Host.EvaluateAsync("() => { const b = document.createElement('button'); b.id = 'unnamed'; document.body.append(b); }");
        await CheckAsync(scenario.Host, "probe");
        Assert.Contains(_violations, v => v.StartsWith("probe: critical button-name", StringComparison.Ordinal));
        _violations.Clear();
        await scenario.Host.EvaluateAsync("() => document.getElementById('unnamed').remove()");

        await CheckAsync(scenario.Host, "console, nobody waiting");
        await CheckAsync(scenario.Visitor, "visitor, the form");
        await scenario.Visitor.GetByRole(AriaRole.Button, new() { Name = "Request chat" }).ClickAsync(); // no name: the error shown
        await Expect(scenario.Visitor.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Please enter your name.");
        await CheckAsync(scenario.Visitor, "visitor, the form with an error");

        await scenario.RequestChatAsync("Bob");
        await Expect(scenario.VisitorRow("Bob")).ToBeVisibleAsync();
        using (var client = scenario.Server.CreateClient())
        {
            await client.GetAsync("desk-wrong-path"); // a failed attempt for the super administrator's list
        }

        await scenario.Visitor.GetByRole(AriaRole.Button, new() { Name = "Devices" }).ClickAsync();
        await CheckAsync(scenario.Visitor, "visitor, waiting, devices open");
        await CheckAsync(scenario.Host, "console, a visitor waiting, failed attempts");

        await scenario.Host.GetByRole(AriaRole.Button, new() { Name = "Call Bob" }).ClickAsync();
        await Expect(scenario.Visitor.GetByRole(AriaRole.Heading, new() { Name = "alice is calling" })).ToBeVisibleAsync();
        await CheckAsync(scenario.Visitor, "visitor, ringing");
        await CheckAsync(scenario.Host, "console, ringing");

        await scenario.Visitor.GetByRole(AriaRole.Button, new() { Name = "Answer" }).ClickAsync();
        await CallScenario.MediaFlowsAsync(scenario.Host);
        await scenario.Visitor.GetByRole(AriaRole.Button, new() { Name = "Chat" }).ClickAsync();
        await CheckAsync(scenario.Visitor, "visitor, in a call, chat open");
        await scenario.Host.GetByRole(AriaRole.Button, new() { Name = "Devices" }).ClickAsync();
        await CheckAsync(scenario.Host, "console, in a call, devices open");

        await scenario.Host.GetByRole(AriaRole.Button, new() { Name = "Hang up" }).ClickAsync();
        await Expect(scenario.Visitor.GetByRole(AriaRole.Heading, new() { Name = "Call ended" })).ToBeVisibleAsync();
        await CheckAsync(scenario.Visitor, "visitor, call ended");
        await CheckAsync(scenario.Host, "console, after a call");

        Assert.True(_violations.Count == 0, string.Join("\n", _violations));
    }

    [Fact]
    public async Task AWholeCallCanBeMadeWithTheKeyboardAlone()
    {
        await using var scenario = await CallScenario.StartAsync(browsers);
        // Not prerendered: until the circuit has drawn the form, Tab only cycles through an empty page (as it once did
        // in a full run, 40 times, with the focus on nothing named).
        await Expect(scenario.Visitor.GetByLabel("Your name")).ToBeVisibleAsync();

        await TabToAsync(scenario.Visitor, "Your name", field: true);
        await scenario.Visitor.Keyboard.TypeAsync("Bob");
        await scenario.Visitor.Keyboard.PressAsync("Enter");
        await Expect(scenario.Visitor.GetByRole(AriaRole.Heading, new() { Name = "Waiting…" })).ToBeVisibleAsync();

        await Expect(scenario.VisitorRow("Bob")).ToBeVisibleAsync();
        await TabToAsync(scenario.Host, "Call Bob");
        await scenario.Host.Keyboard.PressAsync("Enter");

        await Expect(scenario.Visitor.GetByRole(AriaRole.Heading, new() { Name = "alice is calling" })).ToBeVisibleAsync();
        await TabToAsync(scenario.Visitor, "Answer");
        await scenario.Visitor.Keyboard.PressAsync("Enter");
        await CallScenario.MediaFlowsAsync(scenario.Host);
        await CallScenario.MediaFlowsAsync(scenario.Visitor);

        await TabToAsync(scenario.Visitor, "Mute");
        await scenario.Visitor.Keyboard.PressAsync("Space");
        await Expect(scenario.Visitor.GetByRole(AriaRole.Button, new() { Name = "Unmute" })).ToBeFocusedAsync();
        await TabToAsync(scenario.Host, "Hang up");
        await scenario.Host.Keyboard.PressAsync("Enter");
        await Expect(scenario.Visitor.GetByRole(AriaRole.Heading, new() { Name = "Call ended" })).ToBeVisibleAsync();
    }

    // Presses Tab until the focused element is the one named (a button's text or label, a field's label), at most 40 times.
    // The page is brought to the front first: the suite's other pages share the browser, and a page that is not the
    // active one need not move its focus as a user's would.
    private static async Task TabToAsync(IPage page, string name, bool field = false)
    {
        await page.BringToFrontAsync();
        const string Focused = """
            () => {
                const e = document.activeElement;
                if (!e) return '';
                const label = e.labels && e.labels.length ? e.labels[0].textContent : '';
                return (e.getAttribute('aria-label') || label || e.textContent || '').trim();
            }
            """;
        for (var i = 0; i < 40; i++)
        {
            if (await page.EvaluateAsync<string>(Focused) == name)
            {
                return;
            }

            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Fail($"{(field ? "the field" : "the control")} \"{name}\" cannot be reached with Tab; focus is on \"{await page.EvaluateAsync<string>(Focused)}\" " +
            $"({await page.EvaluateAsync<string>("() => document.activeElement ? document.activeElement.outerHTML.slice(0, 120) : 'nothing'")}, page {page.Url})");
    }
}
