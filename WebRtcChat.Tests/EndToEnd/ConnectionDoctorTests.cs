using Microsoft.Playwright;
using WebRtcChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WebRtcChat.Tests.EndToEnd;

/// <summary>
/// The connection doctor in the browsers, across the lab's routers: the visitor's waiting page checks its network
/// quietly and the host's row says how it can be reached before Call; the console's Test connection checks each URL.
/// </summary>
[Collection(LabTests.Name)]
public sealed class ConnectionDoctorTests(LabFixture lab) : IAsyncLifetime
{
    public Task InitializeAsync()
    {
        lab.Lab?.ResetRouters();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => InitializeAsync();

    [LabTheory]
    [InlineData(LabFilter.None, "direct possible")]
    [InlineData(LabFilter.NoUdp, "relay over TCP only")]
    [InlineData(LabFilter.OnlyTcp443, "relay over TLS only")]
    public async Task BeforeTheHostCallsTheRowSaysHowTheVisitorsNetworkCanBeReached(LabFilter visitorNetwork, string shown)
    {
        lab.Lab.SetRouter(LabSide.Visitor, LabNat.EndpointIndependent, visitorNetwork);
        await using var scenario = await CallScenario.StartInLabAsync(lab, [lab.Turn.Url, lab.Turn.TcpUrl, lab.Turn.TlsUrl]);

        await scenario.RequestChatAsync("Bob");

        await Expect(scenario.VisitorRow("Bob").Locator(".reach")).ToHaveTextAsync(shown, new() { Timeout = 15_000 });
    }

    [LabFact]
    public async Task TestConnectionInTheConsoleChecksEachRelayUrlFromTheHostsBrowser()
    {
        lab.Lab.SetRouter(LabSide.Host, LabNat.EndpointIndependent);
        var closed = $"turn:{NetworkLab.TurnAddress}:3479?transport=tcp"; // nothing listens there
        await using var scenario = await CallScenario.StartInLabAsync(lab, [lab.Turn.Url, lab.Turn.TlsUrl, closed]);

        await scenario.Host.GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();

        var result = scenario.Host.GetByRole(AriaRole.List, new() { Name = "Connection test" });
        await Expect(result).ToContainTextAsync("UDP gets out from this browser", new() { Timeout = 15_000 });
        await Expect(result.GetByRole(AriaRole.Listitem).Filter(new() { HasText = lab.Turn.Url + ": works" })).ToHaveCountAsync(1);
        await Expect(result.GetByRole(AriaRole.Listitem).Filter(new() { HasText = lab.Turn.TlsUrl + ": works" })).ToHaveCountAsync(1);
        await Expect(result.GetByRole(AriaRole.Listitem).Filter(new() { HasText = closed + ": no " })).ToHaveCountAsync(1); // no answer, or no relay address
    }
}
