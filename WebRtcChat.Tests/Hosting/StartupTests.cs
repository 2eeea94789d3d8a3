using System.Net;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Hosting;

public sealed class StartupTests
{
    [Fact]
    public async Task AnInvalidConfigurationStopsTheStartWithEveryErrorAndNoStackTrace()
    {
        using var config = TestConfig.Create(configure: json =>
        {
            json["Server"]!["Port"] = 0;
            json["Administrators"]![0]!["ConsolePath"] = "/x";
        });
        await using var server = await ServerProcess.StartAsync(config, waitUntilReady: false);

        var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Server.Port: must be between 1 and 65535", server.Output, StringComparison.Ordinal);
        Assert.Contains("Administrators[0].ConsolePath: must start with \"/\" and be at least 8 characters", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFreshInstallPrintsTheVisitorUrlTheGeneratedConsoleUrlAndTheFingerprint()
    {
        using var config = TestConfig.CreateFresh();
        config.Json["Server"]!["PathBase"] = "/sub-dir";
        config.Save();
        await using var server = await ServerProcess.StartAsync(config);

        var consolePath = File.ReadAllText(Path.Combine(config.DataDirectory, "console-path.txt")).Trim();
        Assert.Contains($"Visitor page:  https://127.0.0.1:{config.Port}/sub-dir/", server.Output, StringComparison.Ordinal);
        Assert.Contains($"https://127.0.0.1:{config.Port}/sub-dir{consolePath}", server.Output, StringComparison.Ordinal);
        Assert.Matches("Certificate SHA-256:  ([0-9A-F]{2}:){31}[0-9A-F]{2}", server.Output);
        using var client = server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(consolePath.TrimStart('/'))).StatusCode);
        Assert.DoesNotContain(consolePath, LogFiles.ReadAll(config.DataDirectory), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDataDirectoryIsMadeReadableOnlyByTheServiceWithTheFail2BanFileReadyInIt()
    {
        using var config = TestConfig.Create(); // administrators configured: nothing generated goes there
        await using (var factory = new WebRtcChatFactory(config))
        {
            using var client = factory.CreatePlainClient();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        }

        Assert.True(File.Exists(Path.Combine(config.DataDirectory, "logs", "scanguard.log")));
        if (!OperatingSystem.IsWindows()) // the suite runs on Debian; the guard is for the analyzer
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(config.DataDirectory));
        }
    }

    [Fact]
    public async Task AServerThatHasSentNoAlertHasLoadedNeitherTheHttpRetriesNorTheMailNorTheWebPushLibraries()
    {
        using var config = TestConfig.Create(configure: json =>
            json["Administrators"]![0]!["Alerts"] = new System.Text.Json.Nodes.JsonObject
            {
                ["Ntfy"] = new System.Text.Json.Nodes.JsonObject { ["Url"] = "http://127.0.0.1:9/alice-topic" },
            });
        await using var server = await ServerProcess.StartAsync(config);
        using var client = server.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(TestConfig.AliceConsolePath.TrimStart('/'))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("no-such-page")).StatusCode);

        // They are loaded when the first alert goes out (README, "Benchmark": about 1 MB of memory otherwise held).
        var loaded = File.ReadLines($"/proc/{server.ProcessId}/maps").Select(line => Path.GetFileName(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1])).ToHashSet();
        Assert.Contains("WebRtcChat.Server.dll", loaded);
        Assert.Contains("Serilog.dll", loaded);
        Assert.DoesNotContain("Polly.Core.dll", loaded);
        Assert.DoesNotContain("System.Threading.RateLimiting.dll", loaded);
        Assert.DoesNotContain("Microsoft.Extensions.Http.Resilience.dll", loaded);
        Assert.DoesNotContain("MailKit.dll", loaded);
        Assert.DoesNotContain("Lib.Net.Http.WebPush.dll", loaded);
    }

    [Fact]
    public async Task ThePublishedBuildServesTheJsModulesAndTheFrameworkScriptWithNoServerHeader()
    {
        using var config = TestConfig.Create("/k3x9");
        await using var server = await ServerProcess.StartAsync(config);
        using var client = server.CreateClient();

        using var module = await client.GetAsync("js/webrtc-call.js");
        Assert.Equal(HttpStatusCode.OK, module.StatusCode);
        Assert.Equal("text/javascript", module.Content.Headers.ContentType!.MediaType);
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "wwwroot-js", "webrtc-call.js")), await module.Content.ReadAsStringAsync());
        using var framework = await client.GetAsync("_framework/blazor.web.js");
        Assert.Equal(HttpStatusCode.OK, framework.StatusCode);
        Assert.False(framework.Headers.Contains("Server"));
        using var outside = await ServerProcess.CreateClient($"https://127.0.0.1:{config.Port}/").GetAsync("js/webrtc-call.js");
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
    }

    [Fact]
    public async Task APortChangeIsLoggedAsNeedingARestart()
    {
        using var config = TestConfig.Create();
        await using var server = await ServerProcess.StartAsync(config);

        config.Json["Server"]!["Port"] = TestConfig.FreePort();
        config.Save();

        await server.WaitForOutputAsync("restart the service to listen there", TimeSpan.FromSeconds(10));
    }
}
