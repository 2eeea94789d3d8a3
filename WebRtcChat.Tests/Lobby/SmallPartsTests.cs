using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Lobby;
using WebRtcChat.Components.Signaling;

namespace WebRtcChat.Tests.Lobby;

public sealed class TurnCredentialsTests
{
    [Fact]
    public void ThePasswordIsTheBase64HmacSha1OfTheUsernameAsCoturnChecksIt()
    {
        // Reference value computed independently: base64(hmac_sha1(secret, username)) in Python.
        Assert.Equal("EZoWaekIEaz8oHw0iLWNP/Ef2Xw=", TurnCredentials.Password("0123456789abcdef-secret", "1700003600:abcdef0123456789"));
    }

    [Fact]
    public void EachPartyGetsFreshCredentialsThatExpireAfterTheLifetimeAndNeverTheSecret()
    {
        var ice = new IceOptions
        {
            StunServers = ["stun:127.0.0.1:3478"],
            TurnServers = ["turn:127.0.0.1:3478?transport=udp"],
            TurnSharedSecret = "0123456789abcdef-secret",
            TurnCredentialLifetime = TimeSpan.FromMinutes(30),
            RelayOnly = true,
        };
        var now = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

        var visitor = TurnCredentials.ForParty(ice, now, polite: true);
        var host = TurnCredentials.ForParty(ice, now, polite: false);

        Assert.Equal("relay", visitor.IceTransportPolicy);
        Assert.Equal(["stun:127.0.0.1:3478"], visitor.IceServers[0].Urls);
        var turn = visitor.IceServers[1];
        Assert.Equal($"{now.AddMinutes(30).ToUnixTimeSeconds()}", turn.Username!.Split(':')[0]);
        Assert.Equal(TurnCredentials.Password(ice.TurnSharedSecret, turn.Username), turn.Credential);
        Assert.NotEqual(turn.Username, host.IceServers[1].Username);
        Assert.DoesNotContain(ice.TurnSharedSecret, System.Text.Json.JsonSerializer.Serialize(visitor), StringComparison.Ordinal);
        Assert.Equal("all", TurnCredentials.ForParty(ice with { RelayOnly = false }, now, true).IceTransportPolicy);
        Assert.Empty(TurnCredentials.ForParty(new IceOptions(), now, true).IceServers);
    }
}

public sealed class BrowserSummaryTests
{
    [Theory]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Chrome 131 on Windows")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "Edge 131 on Windows")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox 128 on Linux")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Safari 17 on iOS")]
    [InlineData("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", "Chrome 131 on Android")]
    [InlineData("curl/8.5.0", "Unknown browser")]
    [InlineData(null, "Unknown browser")]
    public void TheUserAgentIsSummarisedAsBrowserAndSystem(string? userAgent, string expected)
    {
        Assert.Equal(expected, BrowserSummary.Describe(userAgent));
    }
}
