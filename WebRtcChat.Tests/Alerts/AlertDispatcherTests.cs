using Microsoft.Extensions.Logging;
using WebRtcChat.Components.Alerts;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Alerts;

public sealed class AlertDispatcherTests : IAsyncLifetime
{
    private static readonly AdministratorOptions Alice = new() { Name = "alice", ConsolePath = "/desk-7Qf2-alice", SuperAdministrator = true };
    private readonly ManualTime _time = new();
    private readonly WebRtcChatSettings _settings = new(new WebRtcChatOptions { Administrators = [Alice] });
    private readonly RecordingLogger<AlertDispatcher> _log = new();
    private readonly LobbyParties _parties;
    private readonly FakeChannel _ntfy = new("ntfy");
    private readonly FakeChannel _push = new("Web Push", configured: host => host.Alerts.WebPush);
    private readonly FakeChannel _broken = new("webhook", answer: _ => new AlertOutcome("webhook", false, "example.org refused the credentials (401)", Permanent: true));
    private readonly FakeChannel _unset = new("e-mail", configured: _ => false);
    private readonly AlertDispatcher _dispatcher;

    public AlertDispatcherTests()
    {
        _parties = new LobbyParties(_settings, _time);
        _dispatcher = new AlertDispatcher(_parties.Lobby, _settings, [_ntfy, _push, _broken, _unset], _time, _log);
    }

    public Task InitializeAsync() => _dispatcher.StartAsync(CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _dispatcher.StopAsync(CancellationToken.None);
        _dispatcher.Dispose();
        _parties.Dispose();
    }

    [Fact]
    public async Task AVisitorWhoStartsWaitingIsSentThroughEveryRegisteredChannelSetUpForTheHost()
    {
        _parties.Join("Bob");

        Assert.True(await Eventually.HoldsAsync(() => _ntfy.Sent.Count == 1 && _push.Sent.Count == 1 && _broken.Sent.Count == 1, TimeSpan.FromSeconds(5)));
        Assert.Empty(_unset.Sent);
        Assert.Equal("Bob is waiting for alice", _ntfy.Sent[0].Alert.Title);
        Assert.Equal(_ntfy.Sent[0].Alert, _push.Sent[0].Alert);
    }

    [Fact]
    public async Task APermanentFailureIsOneWarningNotOnePerVisitorAndSaysNoSecret()
    {
        _parties.Join("Bob", address: "198.51.100.1");
        Assert.True(await Eventually.HoldsAsync(() => _broken.Sent.Count == 1, TimeSpan.FromSeconds(5)));
        _parties.Join("Carol", address: "198.51.100.2");
        _parties.Join("Dan", address: "198.51.100.3");
        Assert.True(await Eventually.HoldsAsync(() => _broken.Sent.Count == 3, TimeSpan.FromSeconds(5)));
        await Task.Delay(100);

        var warning = Assert.Single(_log.Entries, e => e.Level == LogLevel.Warning);
        Assert.Equal("Alert (Waiting) to alice through webhook failed: example.org refused the credentials (401) (said once, until it works or the configuration changes)", warning.Message);
        Assert.DoesNotContain(_log.Entries, e => e.Message.Contains(Alice.ConsolePath, StringComparison.Ordinal) || e.Message.Contains("Bob", StringComparison.Ordinal));

        _settings.Apply(_settings.Current with { Lobby = new() { MaxWaiting = 49 } }); // any change of the file: said again
        _parties.Join("Eve", address: "198.51.100.4");
        Assert.True(await Eventually.HoldsAsync(() => _log.Entries.Count(e => e.Level == LogLevel.Warning) == 2, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task TheTestAlertGoesAtOnceToEachChannelSetUpAndReportsEach()
    {
        var outcomes = await _dispatcher.SendTestAsync("alice", CancellationToken.None);

        Assert.Equal(["ntfy: True", "Web Push: True", "webhook: False"], outcomes.Select(o => $"{o.Channel}: {o.Sent}"));
        Assert.Equal("Test alert for alice", _ntfy.Sent.Single().Alert.Title);
        Assert.Equal(AlertReason.Test, _ntfy.Sent.Single().Alert.Reason);
        Assert.Equal(["ntfy", "Web Push", "webhook"], _dispatcher.ChannelsFor(Alice).Select(c => c.Name));
        Assert.Equal(["ntfy", "webhook"], _dispatcher.ChannelsFor(Alice with { Alerts = new() { WebPush = false } }).Select(c => c.Name));
    }

    [Fact]
    public async Task ASecondTestAlertWithinTenSecondsSendsNothingAndSaysWhenToTryAgain()
    {
        await _dispatcher.SendTestAsync("alice", CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(7));

        var again = await _dispatcher.SendTestAsync("alice", CancellationToken.None);

        var refused = Assert.Single(again);
        Assert.False(refused.Sent);
        Assert.Equal("one test every 10 s; try again in 3 s", refused.Problem);
        Assert.Single(_ntfy.Sent);

        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.True((await _dispatcher.SendTestAsync("alice", CancellationToken.None))[0].Sent);
        Assert.Equal(2, _ntfy.Sent.Count);

        _time.Advance(TimeSpan.FromHours(-1)); // the clock set back an hour: not an hour without tests
        Assert.True((await _dispatcher.SendTestAsync("alice", CancellationToken.None))[0].Sent);
    }

    [Fact]
    public async Task OneHostsTestAlertDoesNotHoldBackAnothers()
    {
        var dave = new AdministratorOptions { Name = "dave", ConsolePath = "/desk-9Xk4-dave" };
        _settings.Apply(_settings.Current with { Administrators = [Alice, dave] });

        await _dispatcher.SendTestAsync("alice", CancellationToken.None);
        var daves = await _dispatcher.SendTestAsync("dave", CancellationToken.None);

        Assert.All(daves, o => Assert.NotEqual("Alerts", o.Channel));
        Assert.Contains(_ntfy.Sent, s => s.Host == "dave");
    }

    [Fact]
    public async Task AChannelThatThrowsFailsAloneAndTheQueueGoesOn()
    {
        var throwing = new ThrowingChannel();
        var dispatcher = new AlertDispatcher(_parties.Lobby, _settings, [throwing, _ntfy], _time, _log);

        var outcomes = await dispatcher.SendTestAsync("alice", CancellationToken.None);

        Assert.Equal("failed (InvalidOperationException)", outcomes[0].Problem);
        Assert.True(outcomes[1].Sent);
        Assert.DoesNotContain(_log.Entries, e => e.Message.Contains("s3cr3t", StringComparison.Ordinal));
        dispatcher.Dispose();
    }

    private sealed class ThrowingChannel : IAlertChannel
    {
        public string Name => "broken";

        public bool IsConfigured(AdministratorOptions host) => true;

        public Task<AlertOutcome> SendAsync(AdministratorOptions host, Alert alert, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("https://hook.example.org/?token=s3cr3t failed");
    }
}
