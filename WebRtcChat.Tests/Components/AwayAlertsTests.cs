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
    private readonly FakeChannel _push = new("Web Push", _ => false); // no device subscribed

    public AwayAlertsTests()
    {
        var time = new ManualTime();
        var settings = new WebRtcChatSettings(new WebRtcChatOptions { Administrators = [Alice, Dave] });
        _parties = new LobbyParties(settings, time);
        Services.AddSingleton(settings);
        Services.AddSingleton(new AlertDispatcher(_parties.Lobby, settings, [_push, _ntfy, _email], time, NullLogger<AlertDispatcher>.Instance));
    }

    protected override void Dispose(bool disposing)
    {
        _parties.Dispose();
        base.Dispose(disposing);
    }

    [Fact]
    public void TheHostSeesTheChannelsThatReachThemAndNoResultsYet()
    {
        var panel = Render<AwayAlerts>(p => p.Add(c => c.AdministratorName, "alice"));

        Assert.Equal("Reaches you through: ntfy, e-mail.", panel.Find("p").TextContent);
        Assert.Equal("Send a test alert", panel.Find("button").TextContent);
        Assert.Empty(panel.FindAll("ul"));
    }

    [Fact]
    public void SendATestAlertShowsPerChannelSentOrWhyNot()
    {
        var panel = Render<AwayAlerts>(p => p.Add(c => c.AdministratorName, "alice"));

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
        var panel = Render<AwayAlerts>(p => p.Add(c => c.AdministratorName, "dave"));

        Assert.StartsWith("No channel reaches you yet.", panel.Find("p.none").TextContent, StringComparison.Ordinal);
        Assert.Empty(panel.FindAll("button"));
    }
}
