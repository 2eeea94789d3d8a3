using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using WebRtcChat.Components.Alerts;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Consoles;
using WebRtcChat.Tests.Alerts;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Components;

public sealed class AwayAlertsTests : BunitContext
{
    private static readonly AdministratorOptions Alice = new()
    {
        Name = "alice", ConsolePath = "/desk-7Qf2-alice", SuperAdministrator = true,
        Alerts = new() { Ntfy = new() { Url = "https://ntfy.example.org/alice" }, Email = new() { Host = "smtp.example.org", To = ["alice@example.org"] } },
    };

    private static readonly AdministratorOptions Dave = new() { Name = "dave", ConsolePath = "/desk-dave-12345" };
    private readonly LobbyParties _parties;
    private readonly FakeChannel _ntfy = new("ntfy", host => host.Alerts.Ntfy is not null);
    private readonly FakeChannel _email = new("e-mail", host => host.Alerts.Email is not null,
        _ => new AlertOutcome("e-mail", false, "smtp.example.org:587 refused the user name or password", Permanent: true));
    private readonly WebRtcChat.Tests.WebPush.WebPushFixture _devices = new();
    private readonly FakeChannel _push;

    public AwayAlertsTests()
    {
        _push = new("Web Push", host => _devices.Store.DevicesOf(host.Name).Count > 0); // reaches a host with a device
        var time = new ManualTime();
        var settings = new WebRtcChatSettings(new WebRtcChatOptions { Administrators = [Alice, Dave] });
        _parties = new LobbyParties(settings, time);
        Services.AddSingleton(settings);
        Services.AddSingleton(new AlertDispatcher(_parties.Lobby, settings, [_push, _ntfy, _email], time, NullLogger<AlertDispatcher>.Instance));
        Services.AddSingleton<IPushDevices>(_devices.Store);
        JSInterop.SetupModule("./js/push-devices.js").SetupModule("init", _ => true)
            .Setup<PushDevices.PushState>("state").SetResult(new(false, "default", null));
    }

    protected override void Dispose(bool disposing)
    {
        _parties.Dispose();
        _devices.Dispose();
        base.Dispose(disposing);
    }

    [Fact]
    public void TheHostSeesTheChannelsThatReachThemAndNoResultsYet()
    {
        var panel = Render<AwayAlerts>(p => p.Add(c => c.AdministratorName, "alice").Add(c => c.ConsolePath, Alice.ConsolePath));

        Assert.Equal("Reaches you through: ntfy, e-mail.", panel.Find("p").TextContent);
        Assert.Equal("Send a test alert", panel.Find("button").TextContent);
        Assert.Empty(panel.FindAll("ul"));
    }

    [Fact]
    public void SendATestAlertShowsPerChannelSentOrWhyNot()
    {
        var panel = Render<AwayAlerts>(p => p.Add(c => c.AdministratorName, "alice").Add(c => c.ConsolePath, Alice.ConsolePath));

        panel.Find("button").Click();

        panel.WaitForAssertion(() => Assert.Equal(
            ["ntfy: sent", "e-mail: not sent: smtp.example.org:587 refused the user name or password"],
            panel.FindAll("ul[aria-label='Test alert results'] li").Select(li => li.TextContent)));
        Assert.Equal("Test alert for alice", Assert.Single(_ntfy.Sent).Alert.Title);
        Assert.Equal(AlertReason.Test, Assert.Single(_email.Sent).Alert.Reason);
        Assert.Empty(_push.Sent);
        Assert.Equal("Send a test alert", panel.Find("button").TextContent);
    }

    [Fact]
    public void AHostWithNoChannelIsToldHowToSetOneUpAndGetsNoButton()
    {
        var panel = Render<AwayAlerts>(p => p.Add(c => c.AdministratorName, "dave").Add(c => c.ConsolePath, Dave.ConsolePath));

        Assert.StartsWith("No channel reaches you yet.", panel.Find("p.none").TextContent, StringComparison.Ordinal);
        Assert.Empty(panel.FindAll("button"));
    }

    [Fact]
    public void ADeviceSubscribedElsewhereJoinsTheChannelsThatReachTheHost()
    {
        var panel = Render<AwayAlerts>(p => p.Add(c => c.AdministratorName, "dave").Add(c => c.ConsolePath, Dave.ConsolePath));
        Assert.Contains("No channel reaches you yet", panel.Find("p.none").TextContent, StringComparison.Ordinal);

        _devices.Store.Add("dave", new TestPushSubscription(LoopbackPushService.Endpoint("phone")).Payload);

        panel.WaitForAssertion(() => Assert.Equal("Reaches you through: Web Push.", panel.Find("p").TextContent));
    }
}
