using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WebRtcChat.Components.Alerts;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Server.Hosting;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Alerts;

/// <summary>ntfy and the webhook against receivers on loopback, through the HTTP clients and retries the server has.</summary>
public sealed class HttpChannelTests : IDisposable
{
    private const string ConsolePath = "/desk-7Qf2-alice";
    private const string Token = "tk_0123456789abcdefghijklmnopq";
    private const string Secret = "a-webhook-secret-of-32-characters";
    private readonly ServiceProvider _services;

    public HttpChannelTests()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddWebRtcChatAlertChannels();
        _services = services.BuildServiceProvider();
    }

    public void Dispose() => _services.Dispose();

    private IAlertChannel Channel(string name) => _services.GetServices<IAlertChannel>().Single(c => c.Name == name);

    private static AdministratorOptions Alice(AdministratorAlertsOptions alerts) => new() { Name = "alice", ConsolePath = ConsolePath, Alerts = alerts };

    private static Alert Waiting(string? link = null) =>
        new(AlertReason.Waiting, "Zoë is waiting for alice", "Waiting since 14:32.", link, new DateTimeOffset(2026, 12, 1, 13, 32, 0, TimeSpan.Zero), "webrtcchat-9a3f");

    [Fact]
    public async Task NtfyGetsTheTitleAndMessageAsJsonOnTheTopicsServerWithTheTokenAndNoLinkByDefault()
    {
        await using var ntfy = await HttpReceiver.StartAsync();
        var alice = Alice(new() { Ntfy = new() { Url = $"{ntfy.BaseUrl}/base/alice-topic", AccessToken = Token } });

        var outcome = await Channel("ntfy").SendAsync(alice, Waiting(), CancellationToken.None);

        Assert.Equal(new AlertOutcome("ntfy", true), outcome);
        var request = Assert.Single(ntfy.Requests);
        Assert.Equal(("POST", "/base/"), (request.Method, request.PathAndQuery));
        Assert.Equal($"Bearer {Token}", request.Header("Authorization"));
        using var json = JsonDocument.Parse(request.Body);
        Assert.Equal("alice-topic", json.RootElement.GetProperty("topic").GetString());
        Assert.Equal("Zoë is waiting for alice", json.RootElement.GetProperty("title").GetString());
        Assert.Equal("Waiting since 14:32.", json.RootElement.GetProperty("message").GetString());
        Assert.False(json.RootElement.TryGetProperty("click", out _));
        Assert.DoesNotContain(ConsolePath, request.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NtfyOpensTheConsoleOnClickOnlyWhenTheAlertCarriesTheLink()
    {
        await using var ntfy = await HttpReceiver.StartAsync();
        var alice = Alice(new() { Ntfy = new() { Url = $"{ntfy.BaseUrl}/alice-topic" } });

        await Channel("ntfy").SendAsync(alice, Waiting("https://chat.example.org" + ConsolePath), CancellationToken.None);

        using var json = JsonDocument.Parse(Assert.Single(ntfy.Requests).Body);
        Assert.Equal("https://chat.example.org" + ConsolePath, json.RootElement.GetProperty("click").GetString());
        Assert.Null(ntfy.Requests[0].Header("Authorization"));
    }

    [Fact]
    public async Task TheWebhookIsAJsonDocumentSignedWithAnHmacOfItsExactBody()
    {
        await using var hook = await HttpReceiver.StartAsync();
        var alice = Alice(new() { Webhook = new() { Url = $"{hook.BaseUrl}/hook?token=AbC", Secret = Secret } });
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var outcome = await Channel("webhook").SendAsync(alice, Waiting(), CancellationToken.None);

        Assert.True(outcome.Sent);
        var request = Assert.Single(hook.Requests);
        Assert.Equal(("POST", "/hook?token=AbC"), (request.Method, request.PathAndQuery));
        Assert.StartsWith("application/json", request.Header("Content-Type"), StringComparison.Ordinal);
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), request.Body));
        Assert.Equal(expected, request.Header("X-WebRtcChat-Signature"));
        using var json = JsonDocument.Parse(request.Body);
        var root = json.RootElement;
        Assert.Equal("waiting", root.GetProperty("event").GetString());
        Assert.Equal("alice", root.GetProperty("host").GetString());
        Assert.Equal("Zoë is waiting for alice", root.GetProperty("title").GetString());
        Assert.Equal("Waiting since 14:32.", root.GetProperty("message").GetString());
        Assert.Equal(8, root.GetProperty("priority").GetInt32());
        Assert.InRange(root.GetProperty("sentAt").GetInt64(), before, before + 60);
        Assert.Equal(32, root.GetProperty("id").GetString()!.Length);
        Assert.False(root.TryGetProperty("link", out _));
        Assert.DoesNotContain(Secret, request.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(ConsolePath, request.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A503IsRetriedWithTheSameSignedBodyUntilItSucceeds()
    {
        await using var hook = await HttpReceiver.StartAsync(503, 503);
        var alice = Alice(new() { Webhook = new() { Url = $"{hook.BaseUrl}/hook", Secret = Secret } });

        var outcome = await Channel("webhook").SendAsync(alice, Waiting(), CancellationToken.None);

        Assert.True(outcome.Sent, outcome.Problem);
        Assert.Equal(3, hook.Requests.Count);
        Assert.Single(hook.Requests.Select(r => r.Text).Distinct());
        Assert.Single(hook.Requests.Select(r => r.Header("X-WebRtcChat-Signature")).Distinct());
    }

    [Fact]
    public async Task NtfyIsRetriedOnA503Too()
    {
        await using var ntfy = await HttpReceiver.StartAsync(503);
        var alice = Alice(new() { Ntfy = new() { Url = $"{ntfy.BaseUrl}/alice-topic" } });

        var outcome = await Channel("ntfy").SendAsync(alice, Waiting(), CancellationToken.None);

        Assert.True(outcome.Sent, outcome.Problem);
        Assert.Equal(2, ntfy.Requests.Count);
    }

    [Theory]
    [InlineData(401, "refused the credentials (401)")]
    [InlineData(410, "does not know the URL (410)")]
    [InlineData(400, "refused the request (400)")]
    public async Task ARefusalIsPermanentNotRetriedAndNamesOnlyTheServer(int status, string problem)
    {
        await using var hook = await HttpReceiver.StartAsync(status);
        var alice = Alice(new() { Webhook = new() { Url = $"{hook.BaseUrl}/secret-path?token=AbC", Secret = Secret } });

        var outcome = await Channel("webhook").SendAsync(alice, Waiting(), CancellationToken.None);

        Assert.False(outcome.Sent);
        Assert.True(outcome.Permanent);
        Assert.Equal($"{new Uri(hook.BaseUrl).Authority} {problem}", outcome.Problem);
        Assert.Single(hook.Requests);
    }

    [Fact]
    public async Task AReceiverThatIsNotThereIsATransientFailureSayingSo()
    {
        var port = TestConfig.FreePort();
        var alice = Alice(new() { Ntfy = new() { Url = $"http://127.0.0.1:{port}/secret-topic" } });

        var outcome = await Channel("ntfy").SendAsync(alice, Waiting(), CancellationToken.None);

        Assert.False(outcome.Sent);
        Assert.False(outcome.Permanent);
        Assert.Equal($"could not reach 127.0.0.1:{port} (connection failed)", outcome.Problem);
    }
}
