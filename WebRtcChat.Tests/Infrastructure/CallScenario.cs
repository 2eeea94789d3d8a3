using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WebRtcChat.Tests.Infrastructure;

/// <summary>A real server, a host's browser and a visitor's browser, with TURN relaying all media.</summary>
public sealed class CallScenario : IAsyncDisposable
{
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);
    private readonly Func<LabSide, Task<IBrowserContext>> _newContext;
    private readonly List<IBrowserContext> _contexts = [];
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _circuitFrames = new();
    private ReverseProxy? _proxy;

    private CallScenario(Func<LabSide, Task<IBrowserContext>> newContext, TestConfig config, ServerProcess server)
    {
        _newContext = newContext;
        Config = config;
        Server = server;
    }

    public TestConfig Config { get; }

    public ServerProcess Server { get; }

    public IPage Host { get; private set; } = null!;

    public IPage Visitor { get; private set; } = null!;

    /// <summary>Every WebSocket frame (the circuits' traffic) the scenario's pages sent or received, as text.</summary>
    public IReadOnlyCollection<string> CircuitFrames => _circuitFrames;

    /// <summary>Starts a server on loopback whose ICE configuration is relay-only through the test's coturn.</summary>
    public static async Task<CallScenario> StartAsync(BrowserFixture browsers, string pathBase = "", string consolePath = TestConfig.AliceConsolePath,
        Action<JsonObject>? configure = null)
    {
        var config = CreateConfig(pathBase, consolePath, [browsers.Turn.Url], relayOnly: true, json => configure?.Invoke(json));
        return await StartAsync(_ => browsers.NewContextAsync(), config, () => ServerProcess.StartAsync(config), consolePath, startProxy: null);
    }

    /// <summary>The same, with both pages in the browser given (one launched with other fake devices, say).</summary>
    public static async Task<CallScenario> StartAsync(BrowserFixture browsers, IBrowser browser)
    {
        var config = CreateConfig("", TestConfig.AliceConsolePath, [browsers.Turn.Url], relayOnly: true, _ => { });
        return await StartAsync(_ => BrowserFixture.NewContextAsync(browser), config, () => ServerProcess.StartAsync(config), TestConfig.AliceConsolePath, startProxy: null);
    }

    /// <summary>
    /// The same relay-only server as <see cref="StartAsync(BrowserFixture, string, string, Action{JsonObject}?)"/>, with
    /// no page open yet: for a test that brings a browser of another engine for one side and opens the other with
    /// <see cref="OpenAsync(LabSide, string)"/>.
    /// </summary>
    public static async Task<CallScenario> StartServerAsync(BrowserFixture browsers)
    {
        var config = CreateConfig("", TestConfig.AliceConsolePath, [browsers.Turn.Url], relayOnly: true, _ => { });
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

        return new CallScenario(_ => browsers.NewContextAsync(), config, server);
    }

    /// <summary>
    /// Starts a server in the lab's internet, on <see cref="NetworkLab.WebAddress"/>:443, with the host's and the
    /// visitor's browsers on their own machines behind their routers, as set by the test.
    /// </summary>
    /// <remarks>
    /// With <paramref name="throughProxy"/> ("nginx" or "caddy"), the server listens on the internet's loopback
    /// and the README's snippet for that proxy serves it on 443 instead.
    /// </remarks>
    public static async Task<CallScenario> StartInLabAsync(LabFixture lab, IEnumerable<string> turnUrls, bool relayOnly = false,
        string pathBase = "", string? throughProxy = null)
    {
        var config = CreateConfig(pathBase, TestConfig.AliceConsolePath, turnUrls, relayOnly, json =>
        {
            var server = json["Server"]!;
            server["ListenAddress"] = throughProxy is null ? NetworkLab.WebAddress : "127.0.0.1";
            server["Port"] = throughProxy is null ? 443 : 8443;
            if (throughProxy is not null)
            {
                server["TrustedProxies"] = new JsonArray("127.0.0.1");
            }
        });
        return await StartAsync(lab.NewContextAsync, config, () => ServerProcess.StartInNamespaceAsync(config, lab.Lab.Internet), TestConfig.AliceConsolePath,
            throughProxy is null ? null : () => ReverseProxy.StartInNamespaceAsync(throughProxy, config.Port, pathBase, lab.Lab.Internet, NetworkLab.WebAddress, 443));
    }

    private static TestConfig CreateConfig(string pathBase, string consolePath, IEnumerable<string> turnUrls, bool relayOnly, Action<JsonObject> configure) =>
        TestConfig.Create(pathBase, json =>
        {
            json["Administrators"]![0]!["ConsolePath"] = consolePath;
            configure(json);
            json["Ice"] = new JsonObject
            {
                ["TurnServers"] = new JsonArray([.. turnUrls.Select(url => JsonValue.Create(url))]),
                ["TurnSharedSecret"] = TurnServer.SharedSecret,
                ["RelayOnly"] = relayOnly,
            };
            json["Lobby"] = new JsonObject { ["ReconnectGrace"] = "00:00:02" };
        });

    private static async Task<CallScenario> StartAsync(Func<LabSide, Task<IBrowserContext>> newContext, TestConfig config,
        Func<Task<ServerProcess>> startServer, string consolePath, Func<Task<ReverseProxy>>? startProxy)
    {
        ServerProcess server;
        try
        {
            server = await startServer();
        }
        catch
        {
            config.Dispose();
            throw;
        }

        var scenario = new CallScenario(newContext, config, server);
        try
        {
            var baseUrl = server.BaseUrl;
            if (startProxy is not null)
            {
                scenario._proxy = await startProxy();
                baseUrl = scenario._proxy.BaseUrl(config.PathBase);
            }

            scenario.Host = await scenario.OpenAsync(LabSide.Host, baseUrl + consolePath.TrimStart('/'));
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

    /// <summary>Opens the URL in a fresh browser profile on the visitor's side, running the script first in every page when given.</summary>
    public Task<IPage> OpenAsync(string url, string? initScript = null) => OpenAsync(LabSide.Visitor, url, initScript);

    public async Task<IPage> OpenAsync(LabSide side, string url, string? initScript = null)
    {
        var context = await _newContext(side);
        _contexts.Add(context);
        if (initScript is not null)
        {
            await context.AddInitScriptAsync(initScript);
        }

        var page = await context.NewPageAsync();
        page.WebSocket += (_, socket) =>
        {
            socket.FrameSent += (_, frame) => _circuitFrames.Enqueue(frame.Text ?? Convert.ToBase64String(frame.Binary ?? []));
            socket.FrameReceived += (_, frame) => _circuitFrames.Enqueue(frame.Text ?? Convert.ToBase64String(frame.Binary ?? []));
        };
        await page.GotoAsync(url);
        return page;
    }

    /// <summary>A visitor's row in the host's table of waiting visitors (not the recent calls).</summary>
    public ILocator VisitorRow(string name) => VisitorRow(Host, name);

    public static ILocator VisitorRow(IPage console, string name) =>
        console.GetByRole(AriaRole.Table, new() { Name = "Waiting visitors" }).GetByRole(AriaRole.Row).Filter(new() { HasText = name });

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
    public static Task<(PeerStats First, PeerStats Second)> MediaFlowsAsync(IPage page) => MediaFlowsAsync(() => StatsAsync(page));

    /// <summary>The same from stats read some other way, as from a browser that Playwright does not drive.</summary>
    public static async Task<(PeerStats First, PeerStats Second)> MediaFlowsAsync(Func<Task<PeerStats?>> stats)
    {
        PeerStats? first = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        while (DateTime.UtcNow < deadline)
        {
            first = await stats();
            if (first is { FramesDecoded: > 0, BytesReceived: > 0 })
            {
                break;
            }

            await Task.Delay(250);
        }

        Assert.True(first is { FramesDecoded: > 0 }, $"no video frames decoded within 45 s: {first}");
        await Task.Delay(TimeSpan.FromSeconds(2));
        var second = await stats();
        Assert.NotNull(second);
        Assert.True(second.FramesDecoded > first!.FramesDecoded, $"framesDecoded did not rise: {first.FramesDecoded} -> {second.FramesDecoded}");
        Assert.True(second.BytesReceived > first.BytesReceived, $"bytesReceived did not rise: {first.BytesReceived} -> {second.BytesReceived}");
        return (first, second);
    }

    /// <summary>Waits until frames decoded and bytes received rise again on the page, over one second, within the time given.</summary>
    public static async Task MediaFlowsAgainAsync(IPage page, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        PeerStats? before = await StatsAsync(page), after = null;
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(1000);
            after = await StatsAsync(page);
            if (after is not null && before is not null && after.FramesDecoded > before.FramesDecoded && after.BytesReceived > before.BytesReceived)
            {
                return;
            }

            before = after;
        }

        Assert.Fail($"media did not flow again within {within}: {before} -> {after}");
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
    string? LocalProtocol,
    string? RelayProtocol,
    double? RoundTripTime,
    double PacketsReceived,
    double PacketsLost,
    double? FrameWidth,
    double? FrameHeight,
    double? FramesPerSecond,
    double AudioSamplesReceived,
    double Restarts,
    string? SignalingState,
    string? ConnectionState,
    bool? AudioEnabled,
    bool? VideoEnabled);
