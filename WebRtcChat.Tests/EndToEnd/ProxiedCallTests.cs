using Microsoft.Playwright;
using WebRtcChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WebRtcChat.Tests.EndToEnd;

/// <summary>
/// Whole calls through the README's nginx and Caddy snippets on 443 under a hidden sub-directory, in the network
/// lab, where each browser has an address of its own that the proxy can pass on (on loopback, Caddy cannot make
/// the proxy's address differ from the browser's).
/// </summary>
[Collection(LabTests.Name)]
public sealed class ProxiedCallTests(LabFixture lab) : IAsyncLifetime
{
    public Task InitializeAsync()
    {
        lab.Lab?.ResetRouters();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [LabTheory]
    [InlineData("caddy")]
    [InlineData("nginx")]
    public async Task AWholeCallGoesThroughTheProxyUnderASubDirectoryAndTheConsoleShowsTheVisitorsOwnAddress(string proxy)
    {
        await using var scenario = await CallScenario.StartInLabAsync(lab, [lab.Turn.Url, lab.Turn.TcpUrl], pathBase: "/Zq8-proxied", throughProxy: proxy);
        Assert.StartsWith($"https://{NetworkLab.WebAddress}/Zq8-proxied/", scenario.Visitor.Url, StringComparison.Ordinal);
        await scenario.RequestChatAsync("Bob");

        var row = scenario.VisitorRow("Bob");
        await Expect(row.Locator(".address")).ToHaveTextAsync(NetworkLab.MachineAddress(LabSide.Visitor)); // not the proxy's 127.0.0.1
        await scenario.CallAndAnswerAsync("Bob");

        await CallScenario.MediaFlowsAsync(scenario.Host);
        await CallScenario.MediaFlowsAsync(scenario.Visitor);
        Assert.Empty(AuditRecords.Read(scenario.Config)); // no strike, nothing failed, through the proxy either
    }
}
