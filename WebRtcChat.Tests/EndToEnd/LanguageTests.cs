using Microsoft.Playwright;
using WebRtcChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WebRtcChat.Tests.EndToEnd;

[Collection(BrowserTests.Name)]
public sealed class LanguageTests(BrowserFixture browsers)
{
    [Fact]
    public async Task AVisitorWhoseBrowserAsksForGermanRequestsIsRungAnswersAndHangsUpInGermanWhileTheHostStaysInEnglish()
    {
        await using var scenario = await CallScenario.StartAsync(browsers);
        await using var german = await BrowserFixture.NewContextAsync(browsers.Browser, "de-DE");
        var visitor = await german.NewPageAsync();
        await visitor.GotoAsync(scenario.Server.BaseUrl);

        await Expect(visitor.Locator("html")).ToHaveAttributeAsync("lang", "de");
        await Expect(visitor).ToHaveTitleAsync("Videochat");
        await visitor.GetByRole(AriaRole.Button, new() { Name = "Chat anfragen" }).ClickAsync();
        await Expect(visitor.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Bitte geben Sie Ihren Namen ein.");
        await visitor.GetByLabel("Ihr Name").FillAsync("Bärbel");
        await visitor.GetByRole(AriaRole.Button, new() { Name = "Chat anfragen" }).ClickAsync();
        await Expect(visitor.GetByRole(AriaRole.Heading, new() { Name = "Bitte warten…" })).ToBeVisibleAsync();
        await Expect(visitor.GetByText("Bitte lassen Sie diese Seite geöffnet.")).ToBeVisibleAsync();

        await scenario.Host.GetByRole(AriaRole.Button, new() { Name = "Call Bärbel" }).ClickAsync();
        await Expect(visitor.GetByRole(AriaRole.Heading, new() { Name = "alice ruft an" })).ToBeVisibleAsync();
        await Expect(visitor).ToHaveTitleAsync("📞 Eingehender Anruf");
        await visitor.GetByRole(AriaRole.Button, new() { Name = "Annehmen" }).ClickAsync();

        await Expect(visitor.GetByRole(AriaRole.Status).Filter(new() { HasText = "Verbunden mit alice" })).ToBeVisibleAsync();
        await Expect(visitor.GetByLabel("Video der Gegenseite")).ToBeVisibleAsync();
        await Expect(visitor.GetByRole(AriaRole.Button, new() { Name = "Stumm schalten" })).ToBeVisibleAsync();
        await Expect(visitor.GetByRole(AriaRole.Button, new() { Name = "Kamera aus" })).ToBeVisibleAsync();
        await Expect(visitor.GetByRole(AriaRole.Button, new() { Name = "Chat", Exact = true })).ToBeVisibleAsync();
        await Expect(scenario.Host.GetByRole(AriaRole.Status).Filter(new() { HasText = "Connected with Bärbel" })).ToBeVisibleAsync();
        await Expect(scenario.Host.GetByRole(AriaRole.Button, new() { Name = "Hang up" })).ToBeVisibleAsync();

        await visitor.GetByRole(AriaRole.Button, new() { Name = "Auflegen" }).ClickAsync();
        await Expect(visitor.GetByRole(AriaRole.Heading, new() { Name = "Anruf beendet" })).ToBeVisibleAsync();
        await Expect(visitor.GetByRole(AriaRole.Button, new() { Name = "Erneut anfragen" })).ToBeVisibleAsync();
    }
}
