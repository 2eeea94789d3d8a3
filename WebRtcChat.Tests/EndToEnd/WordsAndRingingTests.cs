using Microsoft.Playwright;
using WebRtcChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WebRtcChat.Tests.EndToEnd;

[Collection(BrowserTests.Name)]
public sealed class WordsAndRingingTests(BrowserFixture browsers)
{
    private const string RingTitle = "📞 Incoming call";

    private static Task<bool> IsRingingAsync(IPage page) =>
        page.EvaluateAsync<bool>("async () => (await import('./js/ring.js')).isRinging()");

    private static async Task PostAsync(IPage console, string name, string line)
    {
        await console.GetByLabel($"Note for {name}", new() { Exact = true }).FillAsync(line);
        await console.GetByRole(AriaRole.Button, new() { Name = $"Post note for {name}" }).ClickAsync();
    }

    private static ILocator HostNote(IPage visitor, string text) => visitor.GetByRole(AriaRole.Status).Filter(new() { HasText = text });

    [Fact]
    public async Task TheHostsLineReachesOnlyItsVisitorAndTheCallRingsUntilAnswered()
    {
        await using var scenario = await CallScenario.StartAsync(browsers);
        var bob = scenario.Visitor;
        await scenario.RequestChatAsync("Bob");
        var carol = await scenario.OpenAsync(scenario.Server.BaseUrl);
        await CallScenario.RequestChatAsync(carol, "Carol");
        await Expect(scenario.VisitorRow("Carol")).ToBeVisibleAsync();

        await PostAsync(scenario.Host, "Bob", "Back in 5 minutes");
        await Expect(HostNote(bob, "Back in 5 minutes")).ToContainTextAsync("Message from the host:");
        await Expect(scenario.VisitorRow("Bob")).ToContainTextAsync("Posted: Back in 5 minutes");
        await PostAsync(scenario.Host, "Carol", "Hello Carol");

        // Carol's page hears in order: had Bob's line reached her, it would be there before her own.
        await Expect(HostNote(carol, "Hello Carol")).ToBeVisibleAsync();
        await Expect(carol.GetByText("Back in 5 minutes")).ToHaveCountAsync(0);
        await Expect(bob.GetByText("Hello Carol")).ToHaveCountAsync(0);
        await Expect(bob.GetByText("This browser will show a notification when the host calls.")).ToBeVisibleAsync(); // the tests' browsers allow them
        Assert.False(await IsRingingAsync(bob));

        await scenario.Host.GetByRole(AriaRole.Button, new() { Name = "Call Bob" }).ClickAsync();

        await Expect(bob.GetByRole(AriaRole.Heading, new() { Name = "alice is calling" })).ToBeVisibleAsync();
        Assert.True(await Eventually.HoldsAsync(() => IsRingingAsync(bob), TimeSpan.FromSeconds(5)), "the page did not ring");
        await Expect(bob).ToHaveTitleAsync(RingTitle);
        await Expect(bob).ToHaveTitleAsync("Video chat"); // and back: it flashes
        await Expect(bob).ToHaveTitleAsync(RingTitle);
        Assert.False(await IsRingingAsync(carol));

        await bob.GetByRole(AriaRole.Button, new() { Name = "Answer" }).ClickAsync();

        Assert.True(await Eventually.HoldsAsync(async () => !await IsRingingAsync(bob), TimeSpan.FromSeconds(5)), "the ring went on after Answer");
        await Expect(bob.GetByLabel("Remote video")).ToBeVisibleAsync();
        for (var i = 0; i < 12; i++) // longer than a flash: the title stays the page's own
        {
            Assert.Equal("Video chat", await bob.TitleAsync());
            await Task.Delay(200);
        }

        await scenario.Host.GetByLabel("Note for Carol", new() { Exact = true }).FillAsync("Sorry, not today.");
        await scenario.Host.GetByRole(AriaRole.Button, new() { Name = "Dismiss Carol" }).ClickAsync();
        await Expect(carol.GetByRole(AriaRole.Heading, new() { Name = "The host is not available right now" })).ToBeVisibleAsync();
        await Expect(carol.GetByText("Sorry, not today.")).ToBeVisibleAsync();
    }
}
