using System.Net;
using System.Text.Json.Nodes;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Commands;

/// <summary>The operator's verbs, run through the published executable as an operator runs them.</summary>
public sealed class OperatorCommandsTests
{
    private const string Secret = "0123456789abcdef-turn-secret";

    private static async Task<(int ExitCode, string Output)> RunAsync(TestConfig config, params string[] verb)
    {
        await using var run = await ServerProcess.StartAsync(config, waitUntilReady: false, [.. verb]);
        var exitCode = await run.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exitCode, run.Output);
    }

    private static TestConfig WithTurn() => TestConfig.Create("/k3x9-hid", json =>
        json["Ice"] = new JsonObject
        {
            ["TurnServers"] = new JsonArray("turn:turn.example.org:3478?transport=udp"),
            ["TurnSharedSecret"] = Secret,
        });

    [Fact]
    public async Task CheckConfigPrintsTheConfigurationInForceWithItsSecretsMaskedAndExitsZero()
    {
        using var config = WithTurn();

        var (exitCode, output) = await RunAsync(config, "check-config");

        Assert.True(exitCode == 0, output);
        Assert.Contains("is valid", output, StringComparison.Ordinal);
        Assert.Contains("Warning: Ice.TurnServers: has no TCP or TLS URL", output, StringComparison.Ordinal); // valid, but likely a mistake
        Assert.Contains("\"PathBase\": \"***\"", output, StringComparison.Ordinal);
        Assert.Contains("\"Name\": \"alice\"", output, StringComparison.Ordinal);
        Assert.DoesNotContain("k3x9-hid", output, StringComparison.Ordinal);
        Assert.DoesNotContain(TestConfig.AliceConsolePath, output, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, output, StringComparison.Ordinal);
        Assert.DoesNotContain("WebRtcChat is running", output, StringComparison.Ordinal); // a check, not a server
    }

    [Fact]
    public async Task CheckConfigMasksTheAlertsSecretsTheNtfyTopicAndTheWebhooksQuery()
    {
        using var config = TestConfig.Create(configure: json => json["Administrators"]![0]!["Alerts"] = JsonNode.Parse("""
            {
              "Ntfy": { "Url": "https://ntfy.example.org/topic-9f3k2Qm7xT", "AccessToken": "tk_ntfytoken0123456789" },
              "Webhook": { "Url": "https://gotify.example.org/message?token=GotifyTok3n", "Secret": "webhook-secret-0123456789" },
              "Email": { "Host": "smtp.example.org", "Port": 465, "Security": "Tls", "User": "alice", "Password": "smtp-pa55word",
                         "From": "webrtcchat@example.org", "To": ["alice@example.org"] },
              "QuietHours": ["22:00-07:00"], "TimeZone": "Europe/Berlin", "RemindAfter": "00:10:00"
            }
            """));

        var (exitCode, output) = await RunAsync(config, "check-config");

        Assert.True(exitCode == 0, output);
        foreach (var secret in new[] { "topic-9f3k2Qm7xT", "tk_ntfytoken0123456789", "GotifyTok3n", "webhook-secret-0123456789", "smtp-pa55word", TestConfig.AliceConsolePath })
        {
            Assert.DoesNotContain(secret, output, StringComparison.Ordinal);
        }

        Assert.Contains("\"Url\": \"https://ntfy.example.org/***\"", output, StringComparison.Ordinal);
        Assert.Contains("\"Url\": \"https://gotify.example.org/message?***\"", output, StringComparison.Ordinal);
        Assert.Contains("\"Security\": \"Tls\"", output, StringComparison.Ordinal);
        Assert.Contains("\"Password\": \"***\"", output, StringComparison.Ordinal);
        Assert.Contains("\"Host\": \"smtp.example.org\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckConfigNamesABadAlertsKeyDownToTheChannel()
    {
        using var config = TestConfig.Create(configure: json => json["Administrators"]![0]!["Alerts"] = JsonNode.Parse("""
            { "Webhook": { "Url": "http://hook.example.org/", "Secret": "short" }, "Email": { "Host": "smtp.example.org", "Security": "Starttls-ish" } }
            """));

        var (exitCode, output) = await RunAsync(config, "check-config");

        Assert.Equal(2, exitCode);
        Assert.Contains("Security", output, StringComparison.Ordinal); // the file's shape is wrong: reported alone, by its key
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);

        config.Json["Administrators"]![0]!["Alerts"]!["Email"]!["Security"] = "StartTls";
        config.Save();
        (exitCode, output) = await RunAsync(config, "check-config");
        Assert.Equal(2, exitCode);
        Assert.Contains("Administrators[0].Alerts.Webhook.Url: must be an https:", output, StringComparison.Ordinal);
        Assert.Contains("Administrators[0].Alerts.Webhook.Secret: must be 16 to 500 characters", output, StringComparison.Ordinal);
        Assert.Contains("Administrators[0].Alerts.Email.From: must be one e-mail address", output, StringComparison.Ordinal);
        Assert.Contains("Administrators[0].Alerts.Email.To: must list 1 to 20 e-mail addresses", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckConfigNamesEveryBadKeyAndExitsTwo()
    {
        using var config = TestConfig.Create(configure: json =>
        {
            json["Server"]!["Port"] = 0;
            json["Administrators"]![0]!["ConsolePath"] = "/short";
        });

        var (exitCode, output) = await RunAsync(config, "check-config");

        Assert.Equal(2, exitCode);
        Assert.Contains("Server.Port", output, StringComparison.Ordinal);
        Assert.Contains("Administrators[0].ConsolePath", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABanLiftedFromTheCommandLineLetsTheClientBackIntoTheRunningServerWithinSecondsAndTheAttemptIsListed()
    {
        using var config = TestConfig.Create();
        await using var server = await ServerProcess.StartAsync(config);
        var prober = IPAddress.Parse("127.0.0.2");
        using (var scanner = server.CreateClient(prober))
        {
            await scanner.GetAsync(".env");
        }

        await server.WaitForOutputAsync("ScanGuard ban ip=127.0.0.2", TimeSpan.FromSeconds(5));
        Assert.False(await server.TlsHandshakeSucceedsAsync(prober));

        var (listed, list) = await RunAsync(config, "bans", "list");
        var (lifted, lift) = await RunAsync(config, "bans", "lift", "127.0.0.2");
        var (again, notBanned) = await RunAsync(config, "bans", "lift", "127.0.0.9");
        var (read, attempts) = await RunAsync(config, "attempts", "--since", "1h", "--kind", "scanner-path");

        Assert.True(listed == 0, list);
        Assert.Contains("127.0.0.2", list, StringComparison.Ordinal);
        Assert.Contains("scanner-path", list, StringComparison.Ordinal);
        Assert.True(lifted == 0, lift);
        Assert.Equal(1, again);
        Assert.Contains("127.0.0.9 is not banned", notBanned, StringComparison.Ordinal);
        Assert.True(read == 0, attempts);
        Assert.Contains("127.0.0.2", attempts, StringComparison.Ordinal);
        Assert.Contains("scanner-path", attempts, StringComparison.Ordinal);
        Assert.Contains("GET /.env", attempts, StringComparison.Ordinal);
        Assert.True(await Eventually.HoldsAsync(() => server.TlsHandshakeSucceedsAsync(prober), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task CoturnConfigHasTheSameSecretARealmThePortsAndTheHardening()
    {
        using var config = WithTurn();

        var (exitCode, output) = await RunAsync(config, "coturn-config");

        Assert.True(exitCode == 0, output);
        var lines = output.Split('\n').Select(l => l.Trim()).ToHashSet();
        Assert.Contains("use-auth-secret", lines);
        Assert.Contains($"static-auth-secret={Secret}", lines);
        Assert.Contains("realm=turn.example.org", lines);
        Assert.Contains("listening-port=3478", lines);
        Assert.Contains("tls-listening-port=443", lines);
        Assert.Contains("denied-peer-ip=10.0.0.0-10.255.255.255", lines);
        Assert.Contains("denied-peer-ip=127.0.0.0-127.255.255.255", lines);
        Assert.Contains("user-quota=12", lines);
    }

    [Fact]
    public async Task AMistypedVerbIsAnErrorAndStartsNoServer()
    {
        using var config = TestConfig.Create();

        var (exitCode, output) = await RunAsync(config, "chek-config");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("chek-config", output, StringComparison.Ordinal);
        Assert.DoesNotContain("WebRtcChat is running", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(config.DataDirectory)); // nothing made, nothing served
    }

    [Fact]
    public async Task AVerbWithNoStoreInTheDataDirectorySaysSoAndMakesNone()
    {
        using var config = TestConfig.Create();

        var (listed, list) = await RunAsync(config, "bans", "list");
        var (read, attempts) = await RunAsync(config, "attempts");

        Assert.Equal((1, 1), (listed, read));
        Assert.Contains("There is no", list, StringComparison.Ordinal);
        Assert.Contains("audit.db", attempts, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(config.DataDirectory, "webrtcchat.db")));
    }
}
