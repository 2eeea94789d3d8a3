using System.Net;
using System.Text.Json.Nodes;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Defences;

public sealed class ForwardedHeadersTests
{
    [Fact]
    public async Task ForwardedForIsBelievedFromATrustedProxyAndIgnoredFromAnyoneElse()
    {
        using var config = TestConfig.Create(configure: json => json["Server"]!["TrustedProxies"] = new JsonArray("127.0.0.1"));
        await using var server = await ServerProcess.StartAsync(config);

        using var proxy = server.CreateClient(IPAddress.Loopback);
        using var viaProxy = new HttpRequestMessage(HttpMethod.Get, "via");
        viaProxy.Headers.Add("X-Forwarded-For", "198.51.100.20, 203.0.113.7");
        Assert.Equal(HttpStatusCode.NotFound, (await proxy.SendAsync(viaProxy)).StatusCode);

        using var forger = server.CreateClient(IPAddress.Parse("127.0.0.2"));
        using var forged = new HttpRequestMessage(HttpMethod.Get, "fake");
        forged.Headers.Add("X-Forwarded-For", "198.51.100.9");
        Assert.Equal(HttpStatusCode.NotFound, (await forger.SendAsync(forged)).StatusCode);

        await server.WaitForOutputAsync("ScanGuard strike ip=203.0.113.7 reason=unknown-path", TimeSpan.FromSeconds(5));
        await server.WaitForOutputAsync("ScanGuard strike ip=127.0.0.2 reason=unknown-path", TimeSpan.FromSeconds(5));
        Assert.DoesNotContain("ip=198.51.100.9", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("ip=198.51.100.20", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("ScanGuard strike ip=127.0.0.1", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AClientBannedBehindATrustedProxyIsCutOffWhileOthersThroughTheSameProxyAreServed()
    {
        using var config = TestConfig.Create(configure: json => json["Server"]!["TrustedProxies"] = new JsonArray("127.0.0.1"));
        await using var server = await ServerProcess.StartAsync(config);
        using var proxy = server.CreateClient(IPAddress.Loopback);

        using var scan = new HttpRequestMessage(HttpMethod.Get, ".env");
        scan.Headers.Add("X-Forwarded-For", "203.0.113.7");
        await proxy.SendAsync(scan);
        await server.WaitForOutputAsync("ScanGuard ban ip=203.0.113.7", TimeSpan.FromSeconds(5));

        using var again = new HttpRequestMessage(HttpMethod.Get, "");
        again.Headers.Add("X-Forwarded-For", "203.0.113.7");
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => proxy.SendAsync(again));
        using var fresh = server.CreateClient(IPAddress.Loopback);
        using var someoneElse = new HttpRequestMessage(HttpMethod.Get, "");
        someoneElse.Headers.Add("X-Forwarded-For", "198.51.100.20");
        Assert.Equal(HttpStatusCode.OK, (await fresh.SendAsync(someoneElse)).StatusCode);
    }

    [Fact]
    public async Task AnOverlongForwardedForCannotBorrowTheProxysImmunity()
    {
        using var config = TestConfig.Create(configure: json => json["Server"]!["TrustedProxies"] = new JsonArray("127.0.0.1"));
        await using var server = await ServerProcess.StartAsync(config);
        using var proxy = server.CreateClient(IPAddress.Loopback);

        using var padded = new HttpRequestMessage(HttpMethod.Get, ".env");
        padded.Headers.Add("X-Forwarded-For", string.Join(", ", Enumerable.Repeat("198.51.100.1", 200)) + ", 203.0.113.9");
        await proxy.SendAsync(padded);
        await server.WaitForOutputAsync("ScanGuard ban ip=203.0.113.9", TimeSpan.FromSeconds(5));

        using var garbage = new HttpRequestMessage(HttpMethod.Get, "");
        garbage.Headers.Add("X-Forwarded-For", "not-an-address");
        Assert.Equal(HttpStatusCode.NotFound, (await proxy.SendAsync(garbage)).StatusCode);
        using var missing = new HttpRequestMessage(HttpMethod.Get, "");
        Assert.Equal(HttpStatusCode.NotFound, (await proxy.SendAsync(missing)).StatusCode);
        Assert.DoesNotContain("ScanGuard strike ip=127.0.0.1", server.Output, StringComparison.Ordinal);
        await server.WaitForOutputAsync("had no usable X-Forwarded-For", TimeSpan.FromSeconds(5)); // said, not silent
    }
}
