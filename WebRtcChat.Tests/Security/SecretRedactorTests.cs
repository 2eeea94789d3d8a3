using WebRtcChat.Components.Configuration;
using WebRtcChat.Server.Logging;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Security;

public sealed class SecretRedactorTests
{
    private static readonly WebRtcChatOptions Options = new()
    {
        Server = new() { PathBase = "/k3x9-Qe7" },
        Administrators = [new() { Name = "alice", ConsolePath = "/desk-7Qf2-secret", SuperAdministrator = true }],
    };

    [Theory]
    [InlineData("/k3x9-Qe7/", "[base]/")]
    [InlineData("/k3x9-Qe7/js/webrtc-call.js", "[base]/js/webrtc-call.js")]
    [InlineData("/K3X9-QE7/", "[base]/")]                                  // other case
    [InlineData("/k3x9-Qe8/", "[base]/")]                                  // one character off
    [InlineData("/k3x9-Qe7/desk-7Qf2-secret", "[base][console]")]
    [InlineData("/k3x9-Qe7/desk-7Qf2-secret/", "[base][console]")]         // trailing slash
    [InlineData("/k3x9-Qe7/DESK-7qF2-SECRET", "[base][console]")]
    [InlineData("/k3x9-Qe7/desk-7Qf2-secrex", "[base][console]")]          // a typo
    [InlineData("/k3x9-Qe7/desk-7Qf2-secret/more", "[base][console]")]
    [InlineData("/desk-7Qf2-secret", "[console]")]                        // outside the base
    [InlineData("/old-base/desk-7Qf2-secret", "/old-base[console]")]     // an unknown prefix in front
    [InlineData("/k3x9-Qe7/a/b/desk-7Qf2-secrez/x", "[base]/a/b[console]")]
    [InlineData("/wp-login.php", "/wp-login.php")]
    [InlineData("/.env", "/.env")]
    [InlineData("/", "/")]
    public void SecretPathsAndNearMissesAreRedactedAndEverythingElseIsKept(string path, string expected)
    {
        Assert.Equal(expected, SecretRedactor.Redact(path, Options));
    }

    public static TheoryData<string, string> Encodings()
    {
        var data = new TheoryData<string, string>();
        foreach (var (label, target) in SecretPathEncodings.Of("/k3x9-Qe7", "/desk-7Qf2-secret"))
        {
            data.Add(label, target);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void NoEncodingOfTheSecretsSurvivesRedaction(string label, string target)
    {
        var logged = SecretRedactor.Redact(target, Options);

        Assert.True(SecretPathEncodings.Leaks(logged, "/k3x9-Qe7", "/desk-7Qf2-secret") is [], $"{label}: {logged}");
        Assert.True(logged.Length <= SecretRedactor.MaxLoggedLength + 1, label);
    }

    [Theory]
    [InlineData("/%5ck3x9-Qe7%5cdesk-7Qf2-secret", "[base][console]")]        // the prober's backslashes
    [InlineData("/k3x9-Qe7%252Fdesk-7Qf2-secret", "[base][console]")]        // a slash encoded twice
    [InlineData("/k3x9-Qe7/x/../desk-7Qf2-secret", "[base][console]")]
    [InlineData("//k3x9-Qe7///js//webrtc-call.js", "[base]/js/webrtc-call.js")]
    [InlineData("/k3x9-Qe7/desk-7Q%E2%80%8Bf2-secret", "[base][console]")]   // a zero-width space inside
    [InlineData("/k3x9-Qe7/d%D0%B5sk-7Qf2-secret", "[base][console]")]       // a Cyrillic е
    [InlineData("/k3x9-Qe7/%EF%BD%84esk-7Qf2-secret", "[base][console]")]    // a full-width ｄ
    [InlineData("/prefix-k3x9-Qe7-suffix/x", "[base]/x")]                     // glued into a longer segment
    [InlineData("/caf%C3%A9/a%20b", "/café/a b")]                            // what is no secret reads as decoded
    public void PathsAreLoggedAsTheyDecodeWithTheSecretsCutOut(string path, string expected)
    {
        Assert.Equal(expected, SecretRedactor.Redact(path, Options));
    }

    [Fact]
    public void ARetiredPathBaseIsRedactedToo()
    {
        Assert.Equal("[base][console]", SecretRedactor.Redact("/was-here-1/desk-7Qf2-secret", Options, ["/was-here-1"]));
        Assert.Equal("[base]/js/webrtc-call.js", SecretRedactor.Redact("/was-here-1/js/webrtc-call.js", Options, ["/was-here-1"]));
    }
}
