using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using WebRtcChat.Components.Alerts;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.WebPush;

public sealed class PushSubscriptionRulesTests
{
    private static readonly TestPushSubscription Browser = new("https://fcm.googleapis.com/fcm/send/abc:APA91b-xyz");
    private static readonly string P256dh = Browser.Payload.Keys!.P256dh!;
    private static readonly string Auth = Browser.Payload.Keys!.Auth!;

    [Theory]
    [InlineData("https://fcm.googleapis.com/fcm/send/abc:APA91b-xyz")]
    [InlineData("https://updates.push.services.mozilla.com/wpush/v2/gAAAAABk")]
    [InlineData("https://web.push.apple.com/QGuQyavXutnMH")]
    [InlineData("https://wns2-par02p.notify.windows.com/w/?token=BQYAAAB%2bBv")]
    public void ARealPushServicesSubscriptionIsAccepted(string endpoint)
    {
        var checkedSubscription = PushSubscriptionRules.Check(new(endpoint, new(P256dh, Auth)), out var problem);

        Assert.Equal("", problem);
        Assert.Equal(new PushSubscriptionData(endpoint, P256dh, Auth), checkedSubscription);
    }

    public static TheoryData<string?, string> BadEndpoints => new()
    {
        { null, "endpoint" },
        { "", "endpoint" },
        { "http://fcm.googleapis.com/fcm/send/x", "https" },                  // not TLS
        { "https://fcm.googleapis.com:8443/fcm/send/x", "https" },            // another port: nothing real uses one
        { "https://127.0.0.1/push/x", "https" },                              // an address, not a push service
        { "https://[::1]/push/x", "https" },
        { "https://10.0.0.1/push/x", "https" },
        { "https://localhost/push/x", "https" },
        { "https://router.localhost/push/x", "https" },
        { "https://intranet/push/x", "https" },                               // a single-label name
        { "https://user:pw@fcm.googleapis.com/fcm/send/x", "https" },
        { "https://fcm.googleapis.com/fcm/send/x#frag", "https" },
        { "javascript:alert(1)", "https" },
        { "https://fcm.googleapis.com/fcm/send/x y", "endpoint" },            // a space
        { "https://fcm.googleapis.com/fcm/send/\u00e9", "endpoint" },         // not ASCII
        { "https://fcm.googleapis.com/" + new string('a', PushSubscriptionRules.MaxEndpointLength), "endpoint" },
    };

    [Theory]
    [MemberData(nameof(BadEndpoints))]
    public void AnEndpointThatCannotBeAPushServiceIsRefused(string? endpoint, string named)
    {
        Assert.Null(PushSubscriptionRules.Check(new(endpoint, new(P256dh, Auth)), out var problem));
        Assert.Contains(named, problem, StringComparison.Ordinal);
    }

    public static TheoryData<string?, string?, string> BadKeys => new()
    {
        { null, Auth, "p256dh" },
        { "", Auth, "p256dh" },
        { P256dh[..^4], Auth, "p256dh" },                                         // too short
        { P256dh + "AAAA", Auth, "p256dh" },                                      // too long
        { P256dh[..10] + "+" + P256dh[11..], Auth, "p256dh" },                    // plain base64's '+' is not base64url (a random key may hold no '-' to swap)
        { Base64Url.EncodeToString([0x02, .. new byte[64]]), Auth, "p256dh" },    // not the uncompressed form
        { Base64Url.EncodeToString([0x04, .. new byte[64]]), Auth, "p256dh" },    // not a point on the curve
        { Base64Url.EncodeToString([0x04, .. RandomNumberGenerator.GetBytes(64)]), Auth, "p256dh" },
        { P256dh + "===", Auth, "p256dh" },
        { P256dh, null, "auth" },
        { P256dh, Base64Url.EncodeToString(new byte[15]), "auth" },
        { P256dh, Base64Url.EncodeToString(new byte[32]), "auth" },
        { P256dh, "not base64url!!!!!!!!!!", "auth" },
    };

    [Theory]
    [MemberData(nameof(BadKeys))]
    public void KeysThatAreNotAP256PointAndA16ByteSecretAreRefused(string? p256dh, string? auth, string named)
    {
        Assert.Null(PushSubscriptionRules.Check(new("https://fcm.googleapis.com/fcm/send/x", new(p256dh, auth)), out var problem));
        Assert.Contains(named, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void NoKeysAtAllIsRefused()
    {
        Assert.Null(PushSubscriptionRules.Check(new("https://fcm.googleapis.com/fcm/send/x", null), out _));
        Assert.Null(PushSubscriptionRules.Check(null, out _));
    }

    [Fact]
    public void PaddedBase64UrlIsTakenAndStoredWithoutThePadding()
    {
        var padded = PushSubscriptionRules.Check(new("https://fcm.googleapis.com/fcm/send/x", new(P256dh + "=", Auth + "==")), out _);

        Assert.Equal(new PushSubscriptionData("https://fcm.googleapis.com/fcm/send/x", P256dh, Auth), padded);
    }

    [Theory]
    [InlineData("https://fcm.googleapis.com/fcm/send/x", "Chrome, Edge or another Chromium browser")]
    [InlineData("https://updates.push.services.mozilla.com/wpush/v2/x", "Firefox")]
    [InlineData("https://web.push.apple.com/x", "Safari (iPhone, iPad or Mac)")]
    [InlineData("https://push.example.test/push/x", "A browser using push.example.test")]
    public void ADeviceIsNamedAfterItsPushService(string endpoint, string label) =>
        Assert.Equal(label, PushSubscriptionRules.LabelFor(endpoint));
}

public sealed class PushServiceConnectionTests
{
    [Theory]
    [InlineData("142.250.74.10", true)]
    [InlineData("2a00:1450:4001:82b::200a", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("127.8.9.10", false)]
    [InlineData("::1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.20.0.1", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("169.254.169.254", false)]          // a cloud's metadata service
    [InlineData("fd00::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("239.1.1.1", false)]
    public void OnlyAPublicAddressIsEverPostedTo(string address, bool allowed) =>
        Assert.Equal(allowed, WebRtcChat.Server.WebPush.PushServiceConnection.IsPublic(System.Net.IPAddress.Parse(address)));

    [Fact]
    public async Task ANameThatResolvesToThisMachineIsRefusedBeforeAnyConnection()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;

        var refusal = await Assert.ThrowsAsync<HttpRequestException>(async () =>
            await WebRtcChat.Server.WebPush.PushServiceConnection.ConnectAsync(new System.Net.DnsEndPoint("localhost", port), CancellationToken.None));

        Assert.Contains("no public address", refusal.Message, StringComparison.Ordinal);
        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task TheServersWebPushClientConnectsOnlyThroughThatCheck()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        WebRtcChat.Server.Hosting.AlertExtensions.AddWebRtcChatAlertChannels(services);
        await using var provider = services.BuildServiceProvider();
        var clients = provider.GetRequiredKeyedService<IHttpClientFactory>(WebRtcChat.Server.Alerts.AlertHttpClients.Key);
        using var client = clients.CreateClient(WebRtcChat.Server.WebPush.WebPushChannel.HttpClientName);

        var refusal = await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync($"http://localhost:{port}/push/phone", new StringContent("")));

        Assert.Contains("no public address", refusal.Message, StringComparison.Ordinal);
        Assert.False(listener.Pending());
    }
}
