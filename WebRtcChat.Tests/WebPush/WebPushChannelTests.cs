using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using WebRtcChat.Components.Alerts;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Server.WebPush;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.WebPush;

public sealed class WebPushChannelTests : IAsyncLifetime
{
    private readonly WebPushFixture _f = new();
    private LoopbackPushService _service = null!;

    private static Alert Waiting(string? link = null) => new(AlertReason.Waiting, "Bob is waiting for alice", "Since 14:03.", link,
        new DateTimeOffset(2026, 11, 23, 14, 3, 0, TimeSpan.Zero), "visitor-42");

    public async Task InitializeAsync() => _service = await LoopbackPushService.StartAsync();

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        _f.Dispose();
    }

    [Fact]
    public async Task APushReachesThePushServiceSignedWithTheVapidKeyAndReadableOnlyByTheDevice()
    {
        using var phone = new TestPushSubscription(LoopbackPushService.Endpoint("phone"));
        Assert.Equal(PushDeviceAdded.Added, _f.Store.Add("alice", phone.Payload));

        var outcome = await _f.Channel(_service).SendAsync(WebPushFixture.Alice, Waiting(), CancellationToken.None);

        Assert.Equal(new AlertOutcome("Web Push", true), outcome);
        var request = Assert.Single(_service.Received);
        Assert.Equal("/push/phone", request.Path);
        Assert.Equal("aes128gcm", request.Headers["Content-Encoding"]);
        Assert.Equal(WebPushChannel.TimeToLiveSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), request.Headers["TTL"]);
        Assert.Equal("high", request.Headers["Urgency"]);
        CheckVapid(request.Headers["Authorization"], _f.Keys.PublicKey, "mailto:ops@example.org");

        using var payload = JsonDocument.Parse(phone.Decrypt(request.Body));
        Assert.Equal("Bob is waiting for alice", payload.RootElement.GetProperty("title").GetString());
        Assert.Equal("Since 14:03.", payload.RootElement.GetProperty("body").GetString());
        Assert.Equal("webrtcchat-visitor-42", payload.RootElement.GetProperty("tag").GetString());
        Assert.False(payload.RootElement.TryGetProperty("url", out _));

        // Nothing the push service sees says who waits or where the console is: the words are only in the ciphertext.
        var seen = string.Join("\n", request.Headers.Select(h => $"{h.Key}: {h.Value}")) + Encoding.Latin1.GetString(request.Body);
        Assert.DoesNotContain("Bob", seen, StringComparison.Ordinal);
        Assert.DoesNotContain("visitor-42", seen, StringComparison.Ordinal);
        Assert.DoesNotContain("desk-7Qf2", seen, StringComparison.Ordinal);
        Assert.DoesNotContain(_f.Keys.PrivateKey, seen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAConfiguredSubjectTheVapidTokenNamesTheDefaultContact()
    {
        using var f = new WebPushFixture(vapidSubject: "");
        using var phone = new TestPushSubscription(LoopbackPushService.Endpoint("phone"));
        f.Store.Add("alice", phone.Payload);

        Assert.True((await f.Channel(_service).SendAsync(WebPushFixture.Alice, Waiting(), CancellationToken.None)).Sent);

        CheckVapid(Assert.Single(_service.Received).Headers["Authorization"], f.Keys.PublicKey, WebPushChannel.DefaultSubject);
    }

    [Fact]
    public async Task TheConsoleLinkTravelsOnlyWhenTheAlertHasOneAndOnlyInsideTheEncryptedPayload()
    {
        using var phone = new TestPushSubscription(LoopbackPushService.Endpoint("phone"));
        _f.Store.Add("alice", phone.Payload);
        const string link = "https://chat.example.org:8443/desk-7Qf2-alice";

        Assert.True((await _f.Channel(_service).SendAsync(WebPushFixture.Alice, Waiting(link), CancellationToken.None)).Sent);

        var request = Assert.Single(_service.Received);
        using var payload = JsonDocument.Parse(phone.Decrypt(request.Body));
        Assert.Equal(link, payload.RootElement.GetProperty("url").GetString());
        Assert.DoesNotContain("desk-7Qf2", string.Join("\n", request.Headers.Values) + Encoding.Latin1.GetString(request.Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EachDeviceOfTheHostGetsItsOwnCopyAndNoOtherHostsDeviceGetsOne()
    {
        using var phone = new TestPushSubscription(LoopbackPushService.Endpoint("phone"));
        using var laptop = new TestPushSubscription(LoopbackPushService.Endpoint("laptop"));
        using var daves = new TestPushSubscription(LoopbackPushService.Endpoint("daves"));
        _f.Store.Add("alice", phone.Payload);
        _f.Store.Add("alice", laptop.Payload);
        _f.Store.Add("dave", daves.Payload);

        Assert.True((await _f.Channel(_service).SendAsync(WebPushFixture.Alice, Waiting(), CancellationToken.None)).Sent);

        Assert.Equal(["/push/phone", "/push/laptop"], _service.Received.Select(r => r.Path));
        Assert.Contains("Bob is waiting", laptop.Decrypt(_service.Received[1].Body), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(404)]
    [InlineData(410)]
    public async Task ADeviceThePushServiceSaysIsGoneIsDroppedAndTheOthersStillGetTheAlert(int status)
    {
        using var phone = new TestPushSubscription(LoopbackPushService.Endpoint("phone"));
        using var old = new TestPushSubscription(LoopbackPushService.Endpoint("old"));
        _f.Store.Add("alice", old.Payload);
        _f.Store.Add("alice", phone.Payload);
        _service.Answer("old", status);
        var channel = _f.Channel(_service);

        Assert.True((await channel.SendAsync(WebPushFixture.Alice, Waiting(), CancellationToken.None)).Sent);

        Assert.Equal([phone.Endpoint], _f.Store.DevicesOf("alice").Select(d => d.Endpoint));
        _f.Restart();
        Assert.Equal([phone.Endpoint], _f.Store.DevicesOf("alice").Select(d => d.Endpoint)); // gone from the file too
        Assert.True(_f.Channel(_service).IsConfigured(WebPushFixture.Alice));
    }

    [Fact]
    public async Task WhenTheOnlyDeviceIsGoneTheChannelIsNoLongerConfiguredAndSaysSoOnce()
    {
        using var phone = new TestPushSubscription(LoopbackPushService.Endpoint("phone"));
        _f.Store.Add("alice", phone.Payload);
        _service.Answer("phone", 410);
        var channel = _f.Channel(_service);

        var outcome = await channel.SendAsync(WebPushFixture.Alice, Waiting(), CancellationToken.None);

        Assert.False(outcome.Sent);
        Assert.True(outcome.Permanent);
        Assert.Contains("expired", outcome.Problem, StringComparison.Ordinal);
        Assert.False(channel.IsConfigured(WebPushFixture.Alice));
        Assert.Empty(_f.Store.DevicesOf("alice"));
    }

    [Fact]
    public async Task AnotherRefusalKeepsTheDeviceAndSaysWhatTheServiceAnswered()
    {
        using var phone = new TestPushSubscription(LoopbackPushService.Endpoint("phone"));
        _f.Store.Add("alice", phone.Payload);
        _service.Answer("phone", 503);

        var outcome = await _f.Channel(_service).SendAsync(WebPushFixture.Alice, Waiting(), CancellationToken.None);

        Assert.False(outcome.Sent);
        Assert.False(outcome.Permanent);
        Assert.Contains("503", outcome.Problem, StringComparison.Ordinal);
        Assert.Single(_f.Store.DevicesOf("alice"));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("mailto:ops@example.org", false)]
    public async Task AVapidRefusalIsPermanentAndPointsAtTheSubjectWhenItIsTheDefault(string subject, bool pointsAtSubject)
    {
        using var f = new WebPushFixture(subject);
        using var phone = new TestPushSubscription(LoopbackPushService.Endpoint("phone"));
        f.Store.Add("alice", phone.Payload);
        _service.Answer("phone", 403);

        var outcome = await f.Channel(_service).SendAsync(WebPushFixture.Alice, Waiting(), CancellationToken.None);

        Assert.False(outcome.Sent);
        Assert.True(outcome.Permanent);
        Assert.Contains("403", outcome.Problem, StringComparison.Ordinal);
        Assert.Equal(pointsAtSubject, outcome.Problem!.Contains("Alerts.VapidSubject", StringComparison.Ordinal));
        Assert.Single(f.Store.DevicesOf("alice"));
    }

    [Fact]
    public async Task WebPushIsConfiguredOnlyForAHostWhoAllowsItAndHasADevice()
    {
        var channel = _f.Channel(_service);
        Assert.False(channel.IsConfigured(WebPushFixture.Alice));

        using var phone = new TestPushSubscription(LoopbackPushService.Endpoint("phone"));
        _f.Store.Add("ALICE", phone.Payload); // names match as everywhere else

        Assert.True(channel.IsConfigured(WebPushFixture.Alice));
        Assert.False(channel.IsConfigured(WebPushFixture.Dave));
        var aliceWithoutPush = WebPushFixture.Alice with { Alerts = new AdministratorAlertsOptions { WebPush = false } };
        Assert.False(channel.IsConfigured(aliceWithoutPush));
        var outcome = await channel.SendAsync(aliceWithoutPush, Waiting(), CancellationToken.None);
        Assert.False(outcome.Sent);
        Assert.Empty(_service.Received);
    }

    /// <summary>RFC 8292: <c>vapid t=JWT, k=key</c>, the JWT ES256-signed by that key, for the push service's origin.</summary>
    private static void CheckVapid(string authorization, string publicKey, string subject)
    {
        Assert.StartsWith("vapid ", authorization, StringComparison.Ordinal);
        var parameters = authorization["vapid ".Length..].Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        Assert.Equal(publicKey, parameters["k"]);
        var parts = parameters["t"].Split('.');
        Assert.Equal(3, parts.Length);

        using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
        Assert.Equal("ES256", header.RootElement.GetProperty("alg").GetString());
        using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
        Assert.Equal(LoopbackPushService.Origin, claims.RootElement.GetProperty("aud").GetString());
        Assert.Equal(subject, claims.RootElement.GetProperty("sub").GetString());
        var expires = DateTimeOffset.FromUnixTimeSeconds(claims.RootElement.GetProperty("exp").GetInt64());
        Assert.InRange(expires, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(24));

        var point = Base64Url.DecodeFromChars(publicKey);
        using var key = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = point[1..33], Y = point[33..] },
        });
        var signature = Base64Url.DecodeFromChars(parts[2]);
        Assert.True(key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation), "the VAPID signature does not verify against the server's public key");
    }
}
