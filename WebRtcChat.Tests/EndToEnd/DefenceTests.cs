using System.Text.Json.Nodes;
using Microsoft.Playwright;
using WebRtcChat.Tests.Defences;
using WebRtcChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WebRtcChat.Tests.EndToEnd;

[Collection(BrowserTests.Name)]
public sealed class DefenceTests(BrowserFixture browsers)
{
    [Fact]
    public async Task AWholeVisitorAndHostSessionWithACallAndReloadsLeavesZeroStrikes()
    {
        await using var scenario = await CallScenario.StartAsync(browsers);
        await scenario.Host.ReloadAsync();
        await Expect(scenario.Host.GetByRole(AriaRole.Heading, new() { Name = "Waiting visitors" })).ToBeVisibleAsync();
        await scenario.RequestChatAsync("Bob");
        await scenario.Visitor.ReloadAsync();
        await Expect(scenario.Visitor.GetByRole(AriaRole.Heading, new() { Name = "Waiting…" })).ToBeVisibleAsync();

        await scenario.CallAndAnswerAsync("Bob");
        await CallScenario.MediaFlowsAsync(scenario.Visitor);
        await scenario.Visitor.GetByRole(AriaRole.Button, new() { Name = "Hang up" }).ClickAsync();
        await scenario.Visitor.GetByRole(AriaRole.Button, new() { Name = "Request again" }).ClickAsync();
        await scenario.RequestChatAsync("Bob");
        await scenario.Visitor.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await scenario.Visitor.ReloadAsync();
        await scenario.Host.ReloadAsync();
        await Expect(scenario.Host.GetByText("Nobody is waiting.")).ToBeVisibleAsync();

        Assert.DoesNotContain("ScanGuard strike", scenario.Server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Failed attempt", scenario.Server.Output, StringComparison.Ordinal);
        Assert.Empty(AuditRecords.Read(scenario.Config));
    }

    [Fact]
    public async Task SeveralHostsSeeOnlyTheirVisitorsAndOnlyTheSuperAdministratorSeesFailedAttempts()
    {
        await using var scenario = await CallScenario.StartAsync(browsers, configure: json =>
            ((JsonArray)json["Administrators"]!).Add(new JsonObject
            {
                ["Name"] = "Dave",
                ["ConsolePath"] = "/desk-dave-0001",
                ["PermittedVisitors"] = new JsonArray("Bob"),
            }));
        var dave = await scenario.OpenAsync(scenario.Server.BaseUrl + "desk-dave-0001");
        await Expect(dave.GetByRole(AriaRole.Heading, new() { Name = "Waiting visitors" })).ToBeVisibleAsync();

        await CallScenario.RequestChatAsync(scenario.Visitor, "Eve", host: "dave");
        var bob = await scenario.OpenAsync(scenario.Server.BaseUrl);
        await CallScenario.RequestChatAsync(bob, "  bob ", host: "DAVE");
        var zed = await scenario.OpenAsync(scenario.Server.BaseUrl);
        await CallScenario.RequestChatAsync(zed, "Zed", host: "mallory");

        var eveRow = dave.GetByRole(AriaRole.Row).Filter(new() { HasText = "Eve" });
        await Expect(eveRow).ToContainTextAsync("Not on your list");
        await Expect(eveRow.GetByRole(AriaRole.Button, new() { Name = "Call Eve" })).ToHaveCountAsync(0);
        await Expect(dave.GetByRole(AriaRole.Button, new() { Name = "Call bob" })).ToBeVisibleAsync();
        await Expect(dave.GetByRole(AriaRole.Row).Filter(new() { HasText = "Zed" })).ToHaveCountAsync(0);

        var alice = scenario.Host;
        var aliceVisitors = alice.GetByRole(AriaRole.Table, new() { Name = "Waiting visitors" });
        await Expect(aliceVisitors.GetByRole(AriaRole.Row).Filter(new() { HasText = "Zed" })).ToContainTextAsync("Unknown administrator");
        await Expect(aliceVisitors.GetByRole(AriaRole.Row).Filter(new() { HasText = "Eve" })).ToHaveCountAsync(0);
        var failed = alice.GetByRole(AriaRole.Region, new() { Name = "Failed attempts" });
        await Expect(failed.GetByRole(AriaRole.Row).Filter(new() { HasText = "unknown-administrator" })).ToHaveCountAsync(1);
        await Expect(failed.GetByRole(AriaRole.Row).Filter(new() { HasText = "not-permitted-name" })).ToHaveCountAsync(1);

        // A probe shows up live, and the filter narrows the list.
        using var prober = scenario.Server.CreateClient(System.Net.IPAddress.Parse("127.0.0.2"));
        await prober.GetAsync("desk-guess-1234");
        await Expect(failed.GetByRole(AriaRole.Row).Filter(new() { HasText = "wrong-console-path" })).ToHaveCountAsync(1);
        await failed.GetByLabel("Kind").SelectOptionAsync("wrong-console-path");
        await Expect(failed.GetByRole(AriaRole.Row).Filter(new() { HasText = "unknown-administrator" })).ToHaveCountAsync(0);
        await Expect(failed.GetByRole(AriaRole.Row).Filter(new() { HasText = "127.0.0.2" })).ToHaveCountAsync(1);

        await Expect(dave.GetByText("Failed attempts")).ToHaveCountAsync(0);
        Assert.DoesNotContain("Failed attempts", await dave.ContentAsync(), StringComparison.Ordinal);
    }
}
