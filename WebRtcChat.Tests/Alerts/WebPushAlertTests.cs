using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using WebRtcChat.Components.Alerts;
using WebRtcChat.Tests.Infrastructure;
using WebRtcChat.Tests.WebPush;

namespace WebRtcChat.Tests.Alerts;

/// <summary>The two halves together: the dispatcher following the lobby, sending through the real Web Push channel.</summary>
public sealed class WebPushAlertTests : IAsyncLifetime
{
    private readonly WebPushFixture _push = new();
    private LoopbackPushService _service = null!;
    private LobbyParties _parties = null!;
    private AlertDispatcher _dispatcher = null!;

    public async Task InitializeAsync()
    {
        _service = await LoopbackPushService.StartAsync();
        _parties = new LobbyParties(_push.Settings, _push.Time);
        _dispatcher = new AlertDispatcher(_parties.Lobby, _push.Settings, [_push.Channel(_service)], _push.Time, NullLogger<AlertDispatcher>.Instance);
        await _dispatcher.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _dispatcher.StopAsync(CancellationToken.None);
        _dispatcher.Dispose();
        _parties.Dispose();
        await _service.DisposeAsync();
        _push.Dispose();
    }

    [Fact]
    public async Task AVisitorWhoStartsWaitingReachesTheHostsSubscribedPhoneThroughThePushServiceWithNoSecret()
    {
        using var phone = new TestPushSubscription(LoopbackPushService.Endpoint("phone"));
        Assert.Equal(PushDeviceAdded.Added, _push.Store.Add("alice", phone.Payload));

        _parties.Join("Bob", host: "alice");

        Assert.True(await Eventually.HoldsAsync(() => _service.Received.Count == 1, TimeSpan.FromSeconds(10)), "nothing reached the push service");
        var request = _service.Received[0];
        using var payload = JsonDocument.Parse(phone.Decrypt(request.Body));
        Assert.Equal("Bob is waiting for alice", payload.RootElement.GetProperty("title").GetString());
        var seen = string.Join("\n", request.Headers.Values) + Encoding.Latin1.GetString(request.Body) + payload.RootElement.GetRawText();
        Assert.DoesNotContain(WebPushFixture.Alice.ConsolePath, seen, StringComparison.Ordinal);
        Assert.DoesNotContain(_push.Keys.PrivateKey, seen, StringComparison.Ordinal);

        _parties.Join("Carol", host: "Dave"); // another host's visitor: not alice's phone
        await Task.Delay(1500);
        Assert.Single(_service.Received);
    }
}
