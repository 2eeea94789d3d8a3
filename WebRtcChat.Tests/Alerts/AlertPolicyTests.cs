using WebRtcChat.Components.Alerts;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Lobby;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Alerts;

public sealed class AlertPolicyTests : IDisposable
{
    private static readonly AdministratorOptions Alice = new()
    {
        Name = "alice", ConsolePath = "/desk-7Qf2-alice", SuperAdministrator = true,
        Alerts = new() { Ntfy = new() { Url = "https://ntfy.example.org/alice-topic" } },
    };

    private static readonly AdministratorOptions Dave = new()
    {
        Name = "dave", ConsolePath = "/desk-dave-12345", PermittedVisitors = ["Bob"],
        Alerts = new() { Ntfy = new() { Url = "https://ntfy.example.org/dave-topic" } },
    };

    private readonly ManualTime _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private readonly WebRtcChatSettings _settings = new(new WebRtcChatOptions { Administrators = [Alice, Dave] });
    private readonly AlertPolicy _policy = new();
    private readonly LobbyParties _parties;

    public AlertPolicyTests() => _parties = new LobbyParties(_settings, _time);

    public void Dispose() => _parties.Dispose();

    private void Configure(Func<AdministratorOptions, AdministratorOptions>? alice = null, Func<AdministratorOptions, AdministratorOptions>? dave = null) =>
        _settings.Apply(_settings.Current with { Administrators = [alice?.Invoke(Alice) ?? Alice, dave?.Invoke(Dave) ?? Dave] });

    private IReadOnlyList<AlertJob> Evaluate() => _policy.Evaluate(_parties.Lobby.Current, _settings.Current, _time.GetUtcNow(), _ => true);

    private string Join(string name, string host = "alice", string? address = null) =>
        _parties.Join(name, host, address ?? $"198.51.100.{name.Length}").Ticket.VisitorId;

    [Fact]
    public void AVisitorWhoStartsWaitingAlertsTheirHostOnceNamingThemAndTheTime()
    {
        Join("Bob");

        var job = Assert.Single(Evaluate());
        Assert.Equal("alice", job.HostName);
        Assert.Equal(AlertReason.Waiting, job.Alert.Reason);
        Assert.Equal("Bob is waiting for alice", job.Alert.Title);
        Assert.Equal("Waiting since 12:00 (UTC).", AlertWording.ForVisitor(AlertReason.Waiting, _parties.Lobby.Current.Visitors[0],
            Alice with { Alerts = Alice.Alerts with { TimeZone = "UTC" } }, false, new AlertsOptions(), _time.GetUtcNow()).Body);
        _time.Advance(TimeSpan.FromMinutes(30));
        Assert.Empty(Evaluate());
    }

    [Fact]
    public void NoAlertCarriesTheConsolePathOrTheAddressUnlessTheHostAllowsIt()
    {
        Join("Bob", address: "203.0.113.77");
        var plain = Assert.Single(Evaluate()).Alert;
        Assert.DoesNotContain("203.0.113.77", plain.Title + plain.Body, StringComparison.Ordinal);
        Assert.Null(plain.ConsoleLink);
        Assert.DoesNotContain(Alice.ConsolePath, plain.ToString(), StringComparison.Ordinal);

        var visitor = _parties.Lobby.Current.Visitors[0];
        var open = Alice with { Alerts = Alice.Alerts with { IncludeAddress = true, IncludeConsoleLink = true } };
        var allowed = AlertWording.ForVisitor(AlertReason.Waiting, visitor, open, false, new AlertsOptions { PublicUrl = "https://chat.example.org:8443/k3x9/" }, _time.GetUtcNow());
        Assert.Contains("From 203.0.113.77.", allowed.Body, StringComparison.Ordinal);
        Assert.Equal("https://chat.example.org:8443/k3x9/desk-7Qf2-alice", allowed.ConsoleLink);
    }

    [Fact]
    public void AVisitorNotOnTheHostsListAlertsNobody()
    {
        Join("Mallory", host: "dave");
        Join("Bob", host: "dave");

        var job = Assert.Single(Evaluate());
        Assert.Equal(("dave", "Bob is waiting for dave"), (job.HostName, job.Alert.Title));
    }

    [Fact]
    public void AGeoblockedVisitorAlertsNobody()
    {
        Configure(dave: d => d with { AllowedCountries = ["DE"] });

        _parties.Join("Bob", "dave", "198.51.100.9", countryCode: "FR");

        Assert.Empty(_parties.Lobby.Current.Visitors);
        Assert.Empty(Evaluate());
    }

    [Fact]
    public void AVisitorOfAnUnknownHostAlertsOnlyTheSuperAdministratorAndOnlyIfTheyAskedForIt()
    {
        Join("Bob", host: "nobody-here");
        Assert.Empty(Evaluate());

        Configure(alice: a => a with { Alerts = a.Alerts with { UnknownHostVisitors = true } });
        var job = Assert.Single(Evaluate());
        Assert.Equal("alice", job.HostName);
        Assert.Equal("Bob is waiting (asked for nobody known here)", job.Alert.Title);
    }

    [Fact]
    public void AVisitorWhoseHostWasRemovedFromTheFileAlertsTheSuperAdministratorIfTheyAskedAndNotTheRemovedHost()
    {
        _settings.Apply(_settings.Current with { Administrators = [Alice, Dave with { Alerts = Dave.Alerts with { QuietHours = ["00:00-23:59"] } }] });
        Join("Bob", host: "dave");
        Assert.Empty(Evaluate()); // dave's quiet hours hold it

        _settings.Apply(_settings.Current with { Administrators = [Alice with { Alerts = Alice.Alerts with { UnknownHostVisitors = true } }] });

        var job = Assert.Single(Evaluate());
        Assert.Equal(("alice", "Bob is waiting (asked for nobody known here)"), (job.HostName, job.Alert.Title));
    }

    [Fact]
    public void AFloodOfVisitorsSendsAtMostMaxAlertsPerHourAndNoneOfTheRestLater()
    {
        Configure(alice: a => a with { Alerts = a.Alerts with { MaxAlertsPerHour = 3 } });
        for (var i = 0; i < 8; i++)
        {
            _parties.Join($"Visitor {i}", "alice", $"198.51.100.{i + 1}");
        }

        Assert.Equal(3, Evaluate().Count);
        Assert.Contains(("alice", AlertHeld.Throttled), _policy.Held);
        _time.Advance(TimeSpan.FromMinutes(61));
        Assert.Empty(Evaluate()); // dropped, not held for later

        Join("Zoe");
        Assert.Equal("Zoe is waiting for alice", Assert.Single(Evaluate()).Alert.Title); // a new hour, a new alert
    }

    [Fact]
    public void QuietHoursInTheHostsTimeZoneHoldTheAlertUntilTheyEnd()
    {
        // 12:00 UTC is 21:00 in Tokyo: inside 20:30-07:00 there, which runs past midnight.
        Configure(alice: a => a with { Alerts = a.Alerts with { QuietHours = ["20:30-07:00"], TimeZone = "Asia/Tokyo" } });
        Join("Bob");

        Assert.Empty(Evaluate());
        _time.Advance(TimeSpan.FromHours(9.9)); // 06:54 in Tokyo
        Assert.Empty(Evaluate());
        _time.Advance(TimeSpan.FromMinutes(10)); // 07:04
        var job = Assert.Single(Evaluate());
        Assert.Equal("Bob is waiting for alice", job.Alert.Title);
        Assert.Contains("Waiting since 21:00 (Asia/Tokyo)", job.Alert.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void NothingIsSentWhileAConsoleOfTheHostIsVisibleAndAHiddenOneHoldsNothingBack()
    {
        var console = _parties.Circuit();
        console.OpenConsole("alice", Alice.ConsolePath, "192.0.2.50");
        console.SetConsoleVisible(true);
        Join("Bob");
        Assert.Empty(Evaluate()); // the console chimed for Bob

        console.SetConsoleVisible(false); // the tab went to the background
        Join("Carol");
        Assert.Equal("Carol is waiting for alice", Assert.Single(Evaluate()).Alert.Title);
        Assert.Empty(Evaluate()); // and Bob, whom the console showed, is not alerted after the fact
    }

    [Fact]
    public void WhileConsoleVisibleSendsEvenWhenAConsoleIsVisible()
    {
        Configure(alice: a => a with { Alerts = a.Alerts with { WhileConsoleVisible = true } });
        var console = _parties.Circuit();
        console.OpenConsole("alice", Alice.ConsolePath, "192.0.2.50");
        console.SetConsoleVisible(true);
        Join("Bob");

        Assert.Single(Evaluate());
    }

    [Fact]
    public void AnotherHostsVisibleConsoleHoldsNothingBack()
    {
        var console = _parties.Circuit();
        console.OpenConsole("alice", Alice.ConsolePath, "192.0.2.50");
        console.SetConsoleVisible(true);
        Join("Bob", host: "dave");

        Assert.Equal("dave", Assert.Single(Evaluate()).HostName);
    }

    [Fact]
    public void AReminderFollowsOnceAfterRemindAfterForAVisitorStillWaiting()
    {
        Configure(alice: a => a with { Alerts = a.Alerts with { RemindAfter = TimeSpan.FromMinutes(10) } });
        var bob = Join("Bob");
        var first = Assert.Single(Evaluate()).Alert;

        _time.Advance(TimeSpan.FromMinutes(9));
        Assert.Empty(Evaluate());
        _time.Advance(TimeSpan.FromMinutes(1));
        var reminder = Assert.Single(Evaluate()).Alert;
        Assert.Equal((AlertReason.Reminder, "Bob is still waiting for alice"), (reminder.Reason, reminder.Title));
        Assert.Contains("for 10 minutes", reminder.Body, StringComparison.Ordinal);
        Assert.Equal(first.Tag, reminder.Tag); // replaces the first where a channel can
        Assert.DoesNotContain(bob, reminder.Tag, StringComparison.Ordinal); // the lobby's id for Bob stays in the lobby
        _time.Advance(TimeSpan.FromMinutes(30));
        Assert.Empty(Evaluate());
    }

    [Fact]
    public void AVisitorTheHostIsCallingGetsNoReminder()
    {
        Configure(alice: a => a with { Alerts = a.Alerts with { RemindAfter = TimeSpan.FromMinutes(10) } });
        var bob = Join("Bob");
        Assert.Single(Evaluate());
        var console = _parties.Circuit();
        console.OpenConsole("alice", Alice.ConsolePath, "192.0.2.50");
        console.Call(bob);
        Evaluate();

        _time.Advance(TimeSpan.FromMinutes(11));
        Assert.Empty(Evaluate());
    }

    [Fact]
    public void AHostWithNoChannelIsNeitherAlertedNorCountedAgainstTheirLimit()
    {
        Join("Bob");
        Assert.Empty(_policy.Evaluate(_parties.Lobby.Current, _settings.Current, _time.GetUtcNow(), _ => false));

        // The host adds a channel (or subscribes a device) while Bob still waits: Bob alerts them now.
        Assert.Single(Evaluate());
    }

    [Fact]
    public void AVisitorWhoLeavesIsForgotten()
    {
        var (tab, _) = _parties.Join("Bob", "alice", "198.51.100.3");
        Evaluate();
        tab.Leave();
        Evaluate();

        _parties.Join("Bob", "alice", "198.51.100.3"); // asks again: a new place, a new alert
        Assert.Single(Evaluate());
    }
}
