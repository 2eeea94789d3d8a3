using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Defences;

public sealed class ScanGuardServerTests
{
    private static readonly IPAddress Prober = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress Other = IPAddress.Parse("127.0.0.3");

    private static TestConfig Config(Action<JsonObject>? scanGuard = null) => TestConfig.Create(configure: json =>
    {
        var guard = new JsonObject { ["Strikes"] = 3, ["Window"] = "00:10:00", ["BanDuration"] = "1.00:00:00" };
        scanGuard?.Invoke(guard);
        json["ScanGuard"] = guard;
    });

    [Fact]
    public async Task AProberIsBannedAfterThreeStrikesAndItsNextConnectionIsClosedBeforeTls()
    {
        using var config = Config();
        await using var server = await ServerProcess.StartAsync(config);
        using var prober = server.CreateClient(Prober);

        foreach (var path in new[] { "admin", "login", "desk-7Qf2-alicX" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await prober.GetAsync(path)).StatusCode);
        }

        await server.WaitForOutputAsync("ScanGuard ban ip=127.0.0.2", TimeSpan.FromSeconds(5));
        Assert.False(await server.TlsHandshakeSucceedsAsync(Prober));
        using var honest = server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await honest.GetAsync("")).StatusCode);
        Assert.True(await server.TlsHandshakeSucceedsAsync(Other));
        Assert.Contains("ScanGuard strike ip=127.0.0.2 reason=unknown-path count=1/3", server.Output, StringComparison.Ordinal);
        Assert.Contains("ScanGuard strike ip=127.0.0.2 reason=wrong-console-path", server.Output, StringComparison.Ordinal);
        // What the jails read (one file under one name), and the dated main log: the same lines in both.
        Assert.Equal(3, RunFail2BanRegex(Path.Combine(config.DataDirectory, "logs", "scanguard.log")));
        Assert.Equal(3, RunFail2BanRegex(Directory.GetFiles(Path.Combine(config.DataDirectory, "logs"), "webrtcchat-*.log").Single()));
    }

    [Fact]
    public async Task AWellKnownScannerPathBansAtOnce()
    {
        using var config = Config();
        await using var server = await ServerProcess.StartAsync(config);

        using var scanner = server.CreateClient(Prober);
        Assert.Equal(HttpStatusCode.NotFound, (await scanner.GetAsync("wp-login.php")).StatusCode);

        await server.WaitForOutputAsync("ScanGuard ban ip=127.0.0.2 reason=scanner-path", TimeSpan.FromSeconds(5));
        Assert.False(await server.TlsHandshakeSucceedsAsync(Prober));
    }

    [Fact]
    public async Task ABanSurvivesARestartAndThenExpires()
    {
        using var config = Config(guard => guard["BanDuration"] = "00:00:08");
        var banned = Stopwatch.StartNew();
        await using (var server = await ServerProcess.StartAsync(config))
        {
            using var scanner = server.CreateClient(Prober);
            await scanner.GetAsync(".env");
            banned.Restart();
            await server.WaitForOutputAsync("ScanGuard ban ip=127.0.0.2", TimeSpan.FromSeconds(5));
        }

        await using (var restarted = await ServerProcess.StartAsync(config))
        {
            Assert.False(await restarted.TlsHandshakeSucceedsAsync(Prober));
            var remaining = TimeSpan.FromSeconds(9) - banned.Elapsed;
            if (remaining > TimeSpan.Zero)
            {
                await Task.Delay(remaining);
            }

            Assert.True(await restarted.TlsHandshakeSucceedsAsync(Prober));
        }
    }

    [Fact]
    public async Task AnAddressInNeverBanIsNeverBanned()
    {
        using var config = Config(guard => guard["NeverBan"] = new JsonArray("127.0.0.0/30"));
        await using var server = await ServerProcess.StartAsync(config);
        using var client = server.CreateClient(Prober);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"probe-{i}")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(".env")).StatusCode);
        Assert.True(await server.TlsHandshakeSucceedsAsync(Prober));
        Assert.DoesNotContain("ScanGuard ban", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissUnderTheFrameworksOwnPathsIsRecordedButNeverAStrike()
    {
        using var config = Config();
        await using var server = await ServerProcess.StartAsync(config);
        using var browser = server.CreateClient(Prober);

        // What a page left open across a server restart can send: a stale connection id, an old script name.
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("_blazor?id=stale-connection")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("_framework/blazor.web.0ld.js")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.PostAsync("_blazor?id=stale-connection", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("_blazor/disconnect")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("js/webrtc-call.0ld.js")).StatusCode);
        // What Chrome asks for by itself, e.g. on the plain-text 404 after a mistyped address, or with DevTools open.
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("favicon.ico")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("apple-touch-icon-precomposed.png")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync(".well-known/appspecific/com.chrome.devtools.json")).StatusCode);
        // Link checkers and previews: HEAD gets the 404 everywhere, so it is no oracle and no strike.
        Assert.Equal(HttpStatusCode.NotFound, (await browser.SendAsync(new HttpRequestMessage(HttpMethod.Head, "elsewhere"))).StatusCode);

        Assert.True(await server.TlsHandshakeSucceedsAsync(Prober));
        Assert.DoesNotContain("ScanGuard strike", server.Output, StringComparison.Ordinal);
        // Never stopped by a ban, so never a disk write each: one record a minute per client, counting up.
        Assert.True(await Eventually.HoldsAsync(
            () => AuditRecords.Read(config, "unknown-path") is [{ Count: 9 }], TimeSpan.FromSeconds(10)),
            string.Join(" | ", AuditRecords.Read(config, "unknown-path")));
    }

    [Theory]
    [InlineData("/old-base", "/new-base", "old-base/js/webrtc-call.js")]
    [InlineData("", "/new-base", "js/webrtc-call.js")]                  // the site root was the old base
    [InlineData("", "/new-base", "desk-7Qf2-alice")]                    // a host reopening the old console address
    [InlineData("/new-base/old", "/new-base", "new-base/old/js/webrtc-call.js")] // the old base is inside the new one
    public async Task PagesLeftOpenUnderAReplacedPathBaseAreNotStruck(string oldBase, string newBase, string oldRequest)
    {
        using var config = Config(guard => guard["NeverBan"] = new JsonArray("127.0.0.1")); // the watcher below
        config.Json["Server"]!["PathBase"] = oldBase;
        config.Save();
        await using var server = await ServerProcess.StartAsync(config);

        config.Json["Server"]!["PathBase"] = newBase;
        config.Save();
        using var page = ServerProcess.CreateClient($"https://127.0.0.1:{config.Port}/", Prober);
        using var watcher = ServerProcess.CreateClient($"https://127.0.0.1:{config.Port}/");
        Assert.True(await Eventually.HoldsAsync(async () => (await watcher.GetAsync(newBase.TrimStart('/') + "/")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(5)));

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await page.GetAsync(oldRequest)).StatusCode);
        }

        Assert.True(await server.TlsHandshakeSucceedsAsync(Prober));
        Assert.DoesNotContain("ScanGuard strike ip=127.0.0.2", server.Output, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await page.GetAsync("elsewhere")).StatusCode); // anything else still is
        await server.WaitForOutputAsync("ScanGuard strike ip=127.0.0.2", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ALongPollingPostAsLargeAsTheCircuitAllowsIsNeverAStrike()
    {
        using var config = Config();
        await using var server = await ServerProcess.StartAsync(config);
        using var browser = server.CreateClient(Prober);
        using var negotiated = await browser.PostAsync("_blazor/negotiate?negotiateVersion=1", null);
        var token = System.Text.Json.JsonDocument.Parse(await negotiated.Content.ReadAsStringAsync()).RootElement.GetProperty("connectionToken").GetString();

        for (var i = 0; i < 3; i++)
        {
            // A browser whose WebSockets are blocked sends its messages (up to the hub's limit each) as POST bodies.
            using var body = new ByteArrayContent(new byte[100 * 1024]);
            using var sent = await browser.PostAsync($"_blazor?id={token}", body);
            Assert.NotEqual(HttpStatusCode.RequestEntityTooLarge, sent.StatusCode);
        }

        Assert.True(await server.TlsHandshakeSucceedsAsync(Prober));
        Assert.DoesNotContain("ScanGuard strike", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlainHttpOnTheHttpsPortIsAStrike()
    {
        using var config = Config();
        await using var server = await ServerProcess.StartAsync(config);

        for (var i = 0; i < 3; i++)
        {
            Assert.Empty(await server.SendPlainAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n", Prober));
        }

        await server.WaitForOutputAsync("ScanGuard ban ip=127.0.0.2 reason=plain-http", TimeSpan.FromSeconds(5));
        Assert.False(await server.TlsHandshakeSucceedsAsync(Prober));
    }

    [Fact]
    public async Task AMalformedRequestIsAStrike()
    {
        using var config = Config(guard => guard["Strikes"] = 1);
        await using var server = await ServerProcess.StartAsync(config);

        using var tcp = await server.ConnectAsync(Prober);
        await using var ssl = new System.Net.Security.SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await ssl.AuthenticateAsClientAsync(new System.Net.Security.SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ApplicationProtocols = [System.Net.Security.SslApplicationProtocol.Http11],
        });
        await ssl.WriteAsync("GET / HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n"u8.ToArray());
        await ssl.FlushAsync();
        var answer = new byte[4096];
        var read = await ssl.ReadAsync(answer);
        Assert.StartsWith("HTTP/1.1 400", System.Text.Encoding.ASCII.GetString(answer, 0, read), StringComparison.Ordinal);

        await server.WaitForOutputAsync("ScanGuard ban ip=127.0.0.2 reason=bad-request", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task SeparateInstancesWithTheirOwnConfigurationsRunSideBySide()
    {
        using var first = Config();
        using var second = TestConfig.Create("/other", json => json["Administrators"]![0]!["ConsolePath"] = "/second-desk-1");
        await using var one = await ServerProcess.StartAsync(first);
        await using var two = await ServerProcess.StartAsync(second);

        using var a = one.CreateClient();
        using var b = two.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync(TestConfig.AliceConsolePath.TrimStart('/'))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await b.GetAsync("second-desk-1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync(TestConfig.AliceConsolePath.TrimStart('/'))).StatusCode);
        Assert.NotEqual(first.DataDirectory, second.DataDirectory);
        Assert.True(File.Exists(Path.Combine(second.DataDirectory, "audit.db")));
    }

    /// <summary>Runs Debian's fail2ban-regex with the shipped filter over the log the server wrote; returns the matches.</summary>
    private static int RunFail2BanRegex(string log)
    {
        var start = new ProcessStartInfo("fail2ban-regex")
        {
            ArgumentList = { log, Path.Combine(RepositoryPaths.Root, "contrib", "fail2ban", "filter.d", "webrtcchat.conf") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var match = System.Text.RegularExpressions.Regex.Match(output, @"Lines: \d+ lines, \d+ ignored, (\d+) matched");
        Assert.True(match.Success, output);
        return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
