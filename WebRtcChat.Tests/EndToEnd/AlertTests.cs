using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using MimeKit;
using WebRtcChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WebRtcChat.Tests.EndToEnd;

/// <summary>
/// The real server, a visitor in a real browser, and no console open: ntfy, the webhook and e-mail each get their
/// alert within seconds, on receivers on loopback, and none of them carries a secret.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class AlertTests(BrowserFixture browsers)
{
    private const string Topic = "alice-topic-9f3k2Qm7xT";
    private const string NtfyToken = "tk_ntfytoken0123456789abcdef";
    private const string GotifyToken = "GotifyTok3nXyz";
    private const string WebhookSecret = "webhook-secret-0123456789abcdef";
    private const string SmtpPassword = "smtp-pa55word-e2e";

    [Fact]
    public async Task AVisitorWhoStartsWaitingWithNoConsoleOpenReachesNtfyTheWebhookAndEmailWithinSecondsAndNoSecret()
    {
        await using var ntfy = await HttpReceiver.StartAsync();
        await using var hook = await HttpReceiver.StartAsync();
        await using var smtp = new SmtpReceiver(SmtpReceiverSecurity.StartTls, ("alice", SmtpPassword));
        using var config = TestConfig.Create("/k3x9-hid", json => json["Administrators"]![0]!["Alerts"] = new JsonObject
        {
            ["Ntfy"] = new JsonObject { ["Url"] = $"{ntfy.BaseUrl}/{Topic}", ["AccessToken"] = NtfyToken },
            ["Webhook"] = new JsonObject { ["Url"] = $"{hook.BaseUrl}/message?token={GotifyToken}", ["Secret"] = WebhookSecret },
            ["Email"] = new JsonObject
            {
                ["Host"] = "localhost", ["Port"] = smtp.Port, ["Security"] = "StartTls", ["User"] = "alice", ["Password"] = SmtpPassword,
                ["From"] = "webrtcchat@example.org", ["To"] = new JsonArray("alice@example.org"),
            },
        });
        // The server checks the SMTP server's certificate against the system's roots: here, the test's certificate alone.
        var roots = Path.Combine(config.DirectoryPath, "test-roots.pem");
        await File.WriteAllTextAsync(roots, TestCertificates.Localhost.ExportCertificatePem());
        await using var server = await ServerProcess.StartAsync(config, new Dictionary<string, string> { ["SSL_CERT_FILE"] = roots });
        await using var context = await browsers.NewContextAsync();
        var visitor = await context.NewPageAsync();
        await visitor.GotoAsync(server.BaseUrl);

        var asked = DateTimeOffset.UtcNow;
        await CallScenario.RequestChatAsync(visitor, "Bob");

        var within = TimeSpan.FromSeconds(10);
        Assert.True(await ntfy.ReceivedAsync(1, within), "ntfy got nothing\n" + string.Join('\n', server.LogLines()));
        Assert.True(await hook.ReceivedAsync(1, within), "the webhook got nothing\n" + string.Join('\n', server.LogLines()));
        Assert.True(await smtp.ReceivedAsync(1, within), "no e-mail came\n" + string.Join('\n', server.LogLines()));
        Assert.True(DateTimeOffset.UtcNow - asked < within);

        var published = Assert.Single(ntfy.Requests);
        using (var json = JsonDocument.Parse(published.Body))
        {
            Assert.Equal(Topic, json.RootElement.GetProperty("topic").GetString());
            Assert.Equal("Bob is waiting for alice", json.RootElement.GetProperty("title").GetString());
        }

        Assert.Equal($"Bearer {NtfyToken}", published.Header("Authorization"));
        var posted = Assert.Single(hook.Requests);
        Assert.Equal($"/message?token={GotifyToken}", posted.PathAndQuery);
        Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(WebhookSecret), posted.Body)), posted.Header("X-WebRtcChat-Signature"));
        Assert.Contains("\"title\":\"Bob is waiting for alice\"", posted.Text, StringComparison.Ordinal);
        var mail = Assert.Single(smtp.Mails);
        Assert.True(mail.OverTls);
        Assert.Equal("Bob is waiting for alice", MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(mail.Data))).Subject);

        // What left the server: the three payloads. What it wrote: its log lines and files.
        var payloads = new[] { published.Text, posted.Text, mail.Data };
        var logs = string.Join('\n', server.LogLines()) + LogFiles.ReadAll(config.DataDirectory);
        foreach (var secret in new[] { TestConfig.AliceConsolePath, "k3x9-hid", NtfyToken, Topic, GotifyToken, WebhookSecret, SmtpPassword })
        {
            Assert.All(payloads.Where(p => !(secret == Topic && p == published.Text)), p => Assert.DoesNotContain(secret, p, StringComparison.Ordinal));
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        }

        Assert.All(payloads, p => Assert.DoesNotContain("127.0.0.1", p, StringComparison.Ordinal)); // no address without IncludeAddress
        Assert.Contains(server.LogLines(), l => l.Contains("Alert (Waiting) to alice sent through e-mail", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AVisibleConsoleHoldsTheAlertsBackAndOnceItsTabIsHiddenTheNextVisitorIsSent()
    {
        await using var ntfy = await HttpReceiver.StartAsync();
        using var config = TestConfig.Create(configure: json => json["Administrators"]![0]!["Alerts"] = new JsonObject
        {
            ["Ntfy"] = new JsonObject { ["Url"] = $"{ntfy.BaseUrl}/{Topic}" },
        });
        await using var server = await ServerProcess.StartAsync(config);
        await using var hostContext = await browsers.NewContextAsync();
        var console = await hostContext.NewPageAsync();
        await console.GotoAsync(server.BaseUrl + TestConfig.AliceConsolePath.TrimStart('/'));
        await Expect(console.GetByRole(AriaRole.Button, new() { Name = "Send a test alert" })).ToBeVisibleAsync();
        await using var visitorContext = await browsers.NewContextAsync();
        var bob = await visitorContext.NewPageAsync();
        await bob.GotoAsync(server.BaseUrl);

        await CallScenario.RequestChatAsync(bob, "Bob");
        await Expect(CallScenario.VisitorRow(console, "Bob")).ToBeVisibleAsync();
        Assert.False(await ntfy.ReceivedAsync(1, TimeSpan.FromSeconds(3)), "an alert went while the console was visible");

        // What the browser does when the tab goes to the background or the screen locks.
        await console.EvaluateAsync("""
            () => {
                Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
                document.dispatchEvent(new Event('visibilitychange'));
            }
            """);
        var carol = await visitorContext.NewPageAsync();
        await carol.GotoAsync(server.BaseUrl);
        await CallScenario.RequestChatAsync(carol, "Carol");

        Assert.True(await ntfy.ReceivedAsync(1, TimeSpan.FromSeconds(10)), "no alert once the console was hidden\n" + string.Join('\n', server.LogLines()));
        await Task.Delay(1000);
        using (var json = JsonDocument.Parse(Assert.Single(ntfy.Requests).Body))
        {
            Assert.Equal("Carol is waiting for alice", json.RootElement.GetProperty("title").GetString());
        }

        await console.GetByRole(AriaRole.Button, new() { Name = "Send a test alert" }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.List, new() { Name = "Test alert results" })).ToHaveTextAsync("ntfy: sent");
        using var test = JsonDocument.Parse(ntfy.Requests[1].Body);
        Assert.Equal("Test alert for alice", test.RootElement.GetProperty("title").GetString());
    }

    [Fact]
    public async Task AWebhookThatKeepsFailingIsRetriedAndThenOneWarningLineWithNoSecret()
    {
        await using var hook = await HttpReceiver.StartAsync(503, 503, 503, 503);
        using var config = TestConfig.Create(configure: json => json["Administrators"]![0]!["Alerts"] = new JsonObject
        {
            ["Webhook"] = new JsonObject { ["Url"] = $"{hook.BaseUrl}/message?token={GotifyToken}", ["Secret"] = WebhookSecret },
        });
        await using var server = await ServerProcess.StartAsync(config);
        await using var context = await browsers.NewContextAsync();
        var visitor = await context.NewPageAsync();
        await visitor.GotoAsync(server.BaseUrl);

        await CallScenario.RequestChatAsync(visitor, "Bob");

        Assert.True(await hook.ReceivedAsync(4, TimeSpan.FromSeconds(30)), $"{hook.Requests.Count} tries");
        Assert.True(await Eventually.HoldsAsync(() => server.LogLines().Any(l => l.Contains("through webhook failed", StringComparison.Ordinal)), TimeSpan.FromSeconds(10)));
        var warnings = server.LogLines().Where(l => l.Contains(" WRN ", StringComparison.Ordinal)).ToList();
        Assert.Equal($"Alert (Waiting) to alice through webhook failed: 127.0.0.1:{new Uri(hook.BaseUrl).Port} answered 503, also after retrying",
            Assert.Single(warnings)[13..]);
        var logs = string.Join('\n', server.LogLines()) + LogFiles.ReadAll(config.DataDirectory);
        Assert.DoesNotContain(GotifyToken, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(WebhookSecret, logs, StringComparison.Ordinal);
        Assert.DoesNotContain("/message", logs, StringComparison.Ordinal);
    }
}
