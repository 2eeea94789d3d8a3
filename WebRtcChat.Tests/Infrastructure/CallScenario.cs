using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WebRtcChat.Tests.Infrastructure;

/// <summary>A real server, a host's browser and a visitor's browser, with TURN relaying all media.</summary>
public sealed class CallScenario : IAsyncDisposable
{
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);
    private readonly BrowserFixture _browsers;
    private readonly List<IBrowserContext> _contexts = [];
    private ReverseProxy? _proxy;

    private CallScenario(BrowserFixture browsers, TestConfig config, ServerProcess server)
    {
        _browsers = browsers;
        Config = config;
        Server = server;
    }

    /// <summary>The address the proxy, when there is one, connects to the server from.</summary>
    public const string ProxyAddress = "127.0.0.2";

    public TestConfig Config { get; }

    public ServerProcess Server { get; }

    public IPage Host { get; private set; } = null!;

    public IPage Visitor { get; private set; } = null!;

    /// <summary>Starts a server whose ICE configuration is relay-only through the test's coturn.</summary>
    /// <remarks>With <paramref name="throughNginx"/>, the browsers reach the server through the README's nginx snippet.</remarks>
    public static async Task<CallScenario> StartAsync(BrowserFixture browsers, string pathBase = "", string consolePath = TestConfig.AliceConsolePath,
        Action<JsonObject>? configure = null, bool throughNginx = false)
    {
        var config = TestConfig.Create(pathBase, json =>
        {
            json["Administrators"]![0]!["ConsolePath"] = consolePath;
            if (throughNginx)
            {
                json["Server"]!["TrustedProxies"] = new JsonArray(ProxyAddress);
            }

            configure?.Invoke(json);
            json["Ice"] = new JsonObject
            {
                ["TurnServers"] = new JsonArray(browsers.Turn.Url),
                ["TurnSharedSecret"] = TurnServer.SharedSecret,
                ["RelayOnly"] = true,
            };
            json["Lobby"] = new JsonObject { ["ReconnectGrace"] = "00:00:02" };
        });
        ServerProcess server;
        try
        {
            server = await ServerProcess.StartAsync(config);
        }
        catch
        {
            config.Dispose();
            throw;
        }

        var scenario = new CallScenario(browsers, config, server);
        try
        {
            var baseUrl = server.BaseUrl;
            if (throughNginx)
            {
                scenario._proxy = await ReverseProxy.StartAsync("nginx", config.Port, pathBase, ProxyAddress);
                baseUrl = scenario._proxy.BaseUrl(pathBase);
            }

            scenario.Host = await scenario.OpenAsync(baseUrl + consolePath.TrimStart('/'));
            await Expect(scenario.Host.GetByRole(AriaRole.Heading, new() { Name = "Waiting visitors" })).ToBeVisibleAsync();
            scenario.Visitor = await scenario.OpenAsync(baseUrl);
            return scenario;
        }
        catch
        {
            await scenario.DisposeAsync(); // a failed start must not leave a server or browser contexts behind
            throw;
        }
    }

    public async Task<IPage> OpenAsync(string url)
    {
        var context = await _browsers.NewContextAsync();
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        await page.GotoAsync(url);
        return page;
    }

    /// <summary>The visitor types a name and presses Request chat.</summary>
    public Task RequestChatAsync(string name) => RequestChatAsync(Visitor, name);

    /// <summary>A visitor's page types a name (and whom to reach) and presses Request chat.</summary>
    public static async Task RequestChatAsync(IPage visitor, string name, string? host = null)
    {
        await visitor.GetByLabel("Your name").FillAsync(name);
        if (host is not null)
        {
            await visitor.GetByLabel("Who would you like to reach?").FillAsync(host);
        }

        await visitor.GetByRole(AriaRole.Button, new() { Name = "Request chat" }).ClickAsync();
        await Expect(visitor.GetByRole(AriaRole.Heading, new() { Name = "Waiting…" })).ToBeVisibleAsync();
    }

    /// <summary>The host presses Call on the row and the visitor answers.</summary>
    public async Task CallAndAnswerAsync(string name)
    {
        await Host.GetByRole(AriaRole.Button, new() { Name = $"Call {name}" }).ClickAsync();
        await Expect(Visitor.GetByRole(AriaRole.Heading, new() { Name = "alice is calling" })).ToBeVisibleAsync();
        await Visitor.GetByRole(AriaRole.Button, new() { Name = "Answer" }).ClickAsync();
        await Expect(Host.GetByLabel("Remote video")).ToBeVisibleAsync();
        await Expect(Visitor.GetByLabel("Remote video")).ToBeVisibleAsync();
    }

    /// <summary>The stats of the page's open peer connection, read through the call module itself.</summary>
    public static async Task<PeerStats?> StatsAsync(IPage page)
    {
        var all = await page.EvaluateAsync<JsonElement>("async () => (await import('./js/webrtc-call.js')).openPeerStats()");
        return all.GetArrayLength() == 0 ? null : all[0].Deserialize<PeerStats>(WebJson);
    }

    /// <summary>Waits until video frames are decoded and bytes received on the page, rising between two samples.</summary>
    public static async Task<(PeerStats First, PeerStats Second)> MediaFlowsAsync(IPage page)
    {
        PeerStats? first = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        while (DateTime.UtcNow < deadline)
        {
            first = await StatsAsync(page);
            if (first is { FramesDecoded: > 0, BytesReceived: > 0 })
            {
                break;
            }

            await Task.Delay(250);
        }

        Assert.True(first is { FramesDecoded: > 0 }, $"no video frames decoded within 45 s: {first}");
        await Task.Delay(TimeSpan.FromSeconds(2));
        var second = await StatsAsync(page);
        Assert.NotNull(second);
        Assert.True(second.FramesDecoded > first!.FramesDecoded, $"framesDecoded did not rise: {first.FramesDecoded} -> {second.FramesDecoded}");
        Assert.True(second.BytesReceived > first.BytesReceived, $"bytesReceived did not rise: {first.BytesReceived} -> {second.BytesReceived}");
        return (first, second);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }

        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

        await Server.DisposeAsync();
        Config.Dispose();
    }
}

/// <summary>What <c>openPeerStats()</c> reports for one peer connection.</summary>
public sealed record PeerStats(
    double FramesDecoded,
    double BytesReceived,
    string? LocalCandidateType,
    string? RemoteCandidateType,
    string? ConnectionState,
    bool? AudioEnabled,
    bool? VideoEnabled);
