using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Defences;

/// <summary>The README's nginx and Caddy snippets, run for real in front of the server under a hidden sub-directory.</summary>
public sealed class ReverseProxyTests
{
    private const string PathBase = "/Zq8-proxied";

    private static TestConfig Config() => TestConfig.Create(PathBase, json => json["Server"]!["TrustedProxies"] = new JsonArray("127.0.0.1"));

    /// <summary>The server under the hidden sub-directory, trusting 127.0.0.1, and the proxy in front of it.</summary>
    private sealed class Site : IAsyncDisposable
    {
        public required TestConfig Config { get; init; }

        public required ServerProcess Server { get; init; }

        public required ReverseProxy Proxy { get; init; }

        public static async Task<Site> StartAsync(string kind)
        {
            var config = Config();
            var server = await ServerProcess.StartAsync(config);
            return new Site { Config = config, Server = server, Proxy = await ReverseProxy.StartAsync(kind, config.Port, PathBase) };
        }

        public async ValueTask DisposeAsync()
        {
            await Proxy.DisposeAsync();
            await Server.DisposeAsync();
            Config.Dispose();
        }
    }

    [Theory]
    [InlineData("nginx")]
    [InlineData("caddy")]
    public async Task ThroughTheProxyTheSubDirectoryServesThePagesAndTheCircuitsWebSocket(string kind)
    {
        await using var site = await Site.StartAsync(kind);
        var (config, server, proxy) = (site.Config, site.Server, site.Proxy);
        var visitor = IPAddress.Parse("127.0.0.11"); // not the proxy's own address, which is trusted and never a client
        using var client = ServerProcess.CreateClient(proxy.BaseUrl(PathBase), visitor);

        var page = await client.GetAsync("");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains($"<base href=\"{PathBase}/\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(TestConfig.AliceConsolePath[1..])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("js/webrtc-call.js")).StatusCode);

        // The circuit's WebSocket, as blazor.web.js opens it: negotiate, then upgrade through the proxy.
        var negotiate = await client.PostAsync("_blazor/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.OK, negotiate.StatusCode);
        var token = JsonNode.Parse(await negotiate.Content.ReadAsStringAsync())!["connectionToken"]!.GetValue<string>();
        using var socket = new ClientWebSocket();
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            SslOptions = new() { RemoteCertificateValidationCallback = (_, _, _, _) => true },
            ConnectCallback = async (context, cancel) =>
            {
                var tcp = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                tcp.Bind(new IPEndPoint(visitor, 0));
                await tcp.ConnectAsync(context.DnsEndPoint, cancel);
                return new System.Net.Sockets.NetworkStream(tcp, ownsSocket: true);
            },
        });
        await socket.ConnectAsync(new Uri($"wss://127.0.0.1:{proxy.Port}{PathBase}/_blazor?id={token}"), invoker, CancellationToken.None);
        Assert.Equal(WebSocketState.Open, socket.State);
        await socket.SendAsync("{\"protocol\":\"blazorpack\",\"version\":1}\u001e"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[256];
        var handshake = await socket.ReceiveAsync(buffer, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        Assert.Equal("{}\u001e", System.Text.Encoding.UTF8.GetString(buffer, 0, handshake.Count)); // SignalR's handshake answer
    }

    [Theory]
    [InlineData("nginx")]
    [InlineData("caddy")]
    public async Task NothingOutsideThePrefixReachesTheServer(string kind)
    {
        await using var site = await Site.StartAsync(kind);
        var (config, server, proxy) = (site.Config, site.Server, site.Proxy);
        using var client = ServerProcess.CreateClient($"https://127.0.0.1:{proxy.Port}/");
        var logged = server.LogLines().Count;

        foreach (var path in new[] { "", "other-site/", "Zq8-proxiedX/", TestConfig.AliceConsolePath[1..], "_blazor/negotiate" })
        {
            await client.GetAsync(path);
        }

        await Task.Delay(500);
        Assert.DoesNotContain(server.LogLines().Skip(logged), line => line.Contains("HTTP ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("nginx")]
    [InlineData("caddy")]
    public async Task AScannerBehindTheProxyIsBannedByItsOwnAddressAndOthersGoOnThroughTheProxy(string kind)
    {
        await using var site = await Site.StartAsync(kind);
        var (config, server, proxy) = (site.Config, site.Server, site.Proxy);
        var scannerAddress = IPAddress.Parse("127.0.0.9");
        using var scanner = ServerProcess.CreateClient(proxy.BaseUrl(PathBase), scannerAddress);
        using var honest = ServerProcess.CreateClient(proxy.BaseUrl(PathBase), IPAddress.Parse("127.0.0.10"));

        await scanner.GetAsync(".env");

        await server.WaitForOutputAsync("ScanGuard ban ip=127.0.0.9 reason=scanner-path", TimeSpan.FromSeconds(5));
        Assert.DoesNotContain("ScanGuard ban ip=127.0.0.1 ", server.Output, StringComparison.Ordinal); // never the proxy
        Assert.Equal("127.0.0.9", Assert.Single(AuditRecords.Read(config, "scanner-path")).Address);
        Assert.NotEqual(HttpStatusCode.OK, (await scanner.GetAsync("")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await honest.GetAsync("")).StatusCode);
    }
}
