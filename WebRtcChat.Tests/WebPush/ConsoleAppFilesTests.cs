using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.WebPush;

/// <summary>The console's manifest and push worker, over HTTP through the whole pipeline, under a path base.</summary>
public sealed class ConsoleAppFilesTests : IAsyncLifetime
{
    private const string PathBase = "/hid-den";
    private const string Console = PathBase + TestConfig.AliceConsolePath;
    private readonly TestConfig _config = TestConfig.Create(PathBase);
    private WebRtcChatFactory _factory = null!;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _factory = new WebRtcChatFactory(_config);
        _client = _factory.CreatePlainClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        _config.Dispose();
    }

    [Fact]
    public async Task TheManifestUnderTheConsolePathOpensThatConsoleFromTheHomeScreen()
    {
        using var response = await _client.GetAsync(Console + "/manifest.webmanifest");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/manifest+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        using var manifest = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(Console, manifest.RootElement.GetProperty("start_url").GetString());
        Assert.Equal(Console, manifest.RootElement.GetProperty("scope").GetString());
        Assert.Equal(Console, manifest.RootElement.GetProperty("id").GetString());
        Assert.Equal("standalone", manifest.RootElement.GetProperty("display").GetString());
        foreach (var icon in manifest.RootElement.GetProperty("icons").EnumerateArray())
        {
            using var image = await _client.GetAsync(icon.GetProperty("src").GetString());
            Assert.Equal(HttpStatusCode.OK, image.StatusCode);
            Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task TheServerOffersWebPushAsAnAlertChannelWithItsKeyMadeAtStart()
    {
        using var response = await _client.GetAsync(Console); // the server is up

        var channels = _factory.Services.GetServices<WebRtcChat.Components.Alerts.IAlertChannel>();
        Assert.Contains(channels, c => c is WebRtcChat.Server.WebPush.WebPushChannel { Name: "Web Push" });
        var devices = _factory.Services.GetRequiredService<WebRtcChat.Components.Alerts.IPushDevices>();
        var key = Path.Combine(_config.DataDirectory, WebRtcChat.Server.WebPush.VapidKeys.FileName);
        Assert.True(File.Exists(key));
        Assert.True(File.Exists(Path.Combine(_config.DataDirectory, WebRtcChat.Server.WebPush.PushSubscriptionStore.FileName)));
        Assert.Equal(WebRtcChat.Server.WebPush.VapidKeys.LoadOrCreate(_config.DataDirectory).PublicKey, devices.ApplicationServerKey);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        }
    }

    [Fact]
    public async Task TheWorkerUnderTheConsolePathMayTakeTheConsolesOwnUrlAsItsScope()
    {
        using var response = await _client.GetAsync(Console + "/push-worker.js");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal([Console], response.Headers.GetValues("Service-Worker-Allowed"));
        var script = await response.Content.ReadAsStringAsync();
        Assert.Contains("addEventListener('push'", script, StringComparison.Ordinal);
        Assert.DoesNotContain("desk-7Qf2", script, StringComparison.Ordinal); // it reads its scope, it is not told
    }

    [Fact]
    public async Task TheConsolePageLinksItsManifestAndTheVisitorPageHasNoTraceOfIt()
    {
        var console = await _client.GetStringAsync(Console);
        var visitor = await _client.GetStringAsync(PathBase + "/");

        Assert.Contains("<link rel=\"manifest\" href=\"desk-7Qf2-alice/manifest.webmanifest\"", console, StringComparison.Ordinal);
        Assert.DoesNotContain("manifest", visitor, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("push-worker", visitor, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("desk-7Qf2", visitor, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", PathBase + "/manifest.webmanifest")]
    [InlineData("GET", PathBase + "/push-worker.js")]
    [InlineData("GET", PathBase + "/js/push-worker.js")]                            // not among the modules anyone may fetch
    [InlineData("GET", PathBase + "/desk-7Qf2-alicE/manifest.webmanifest")]         // a wrong console path
    [InlineData("GET", PathBase + "/desk-7Qf2/push-worker.js")]                     // a prefix of it
    [InlineData("GET", PathBase + "/desk-7Qf2-alice/x/push-worker.js")]             // below it
    [InlineData("GET", PathBase + "/desk-7Qf2-alice/manifest.webmanifest/")]
    [InlineData("GET", PathBase + "/desk-7Qf2-alice/manifest.json")]
    [InlineData("GET", TestConfig.AliceConsolePath + "/manifest.webmanifest")]      // outside the path base
    [InlineData("POST", Console + "/push-worker.js")]
    [InlineData("HEAD", Console + "/manifest.webmanifest")]
    public async Task AnyOtherPathMethodOrConsoleGetsTheSameBland404(string method, string path)
    {
        var reference = await SendAsync("GET", PathBase + "/nothing-at-all");
        var response = await SendAsync(method, path);

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Equal(reference.Headers, response.Headers);
        Assert.Equal(method == "HEAD" ? "" : reference.Body, response.Body);
    }

    private async Task<(HttpStatusCode Status, string Headers, string Body)> SendAsync(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        using var response = await _client.SendAsync(request);
        var headers = string.Join("\n", response.Headers.Concat(response.Content.Headers)
            .Where(h => !h.Key.Equals("Date", StringComparison.OrdinalIgnoreCase))
            .OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
            .Select(h => h.Key + ": " + string.Join(",", h.Value)));
        return (response.StatusCode, headers, await response.Content.ReadAsStringAsync());
    }
}
