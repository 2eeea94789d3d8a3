using System.Net;
using Microsoft.AspNetCore.Http;
using WebRtcChat.Server.Security;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Security;

[Collection(HostileInputServer.Collection)]
public sealed class HostHeaderTests(HostileInputServer fixture)
{
    public static TheoryData<string, string> Targets => new()
    {
        { "GET", HostileInputServer.PathBase + "/" },                                          // the visitor page
        { "GET", HostileInputServer.PathBase + TestConfig.AliceConsolePath },                 // a console path
        { "POST", HostileInputServer.PathBase + "/_blazor/negotiate?negotiateVersion=1" },    // the hub
    };

    public static TheoryData<string, string, string, string?> Http1Cases()
    {
        var data = new TheoryData<string, string, string, string?>();
        foreach (var (method, target) in Targets.Select(t => ((string)t[0], (string)t[1])))
        {
            data.Add("HTTP/1.0", method, target, null);                             // no Host at all
            data.Add("HTTP/1.0", method, target, "");
            data.Add("HTTP/1.1", method, target, "");
            data.Add("HTTP/1.1", method, target, "127.0.0.1:99999");
            data.Add("HTTP/1.1", method, target, new string('h', 2048));
        }

        return data;
    }

    public static TheoryData<string, string, string?> Http2Cases()
    {
        var data = new TheoryData<string, string, string?>();
        foreach (var (method, target) in Targets.Select(t => ((string)t[0], (string)t[1])))
        {
            data.Add(method, target, null);                                         // no :authority
            data.Add(method, target, "");
            data.Add(method, target, "127.0.0.1:99999");
        }

        return data;
    }

    [Theory]
    [InlineData("127.0.0.1:4433", true)]
    [InlineData("localhost", true)]
    [InlineData("[::1]:443", true)]
    [InlineData("chat.example.org", true)]
    [InlineData("", false)]
    [InlineData("127.0.0.1:99999", false)]
    [InlineData("127.0.0.1:", true)]                // an empty port is the default one
    [InlineData("[::1", false)]
    public void AHostIsUsableOnlyWhenItMakesAnAbsoluteUri(string host, bool usable)
    {
        Assert.Equal(usable, HostHeader.IsUsable(new HostString(host)));
        Assert.False(HostHeader.IsUsable(new HostString(new string('h', 2048))));
    }

    [Theory]
    [MemberData(nameof(Http1Cases))]
    public async Task AnHttp1RequestWhoseHostMakesNoUriGetsTheBland404AndIsAStrike(string version, string method, string target, string? host)
    {
        var from = fixture.NextAddress();
        var request = $"{method} {target} {version}\r\n" + (host is null ? "" : $"Host: {host}\r\n")
            + (method == "POST" ? "Content-Length: 0\r\n" : "") + "Connection: close\r\n\r\n";

        var response = await RawHttp.SendAsync(fixture.Config.Port, from, request);

        await AssertBlandStrikeAsync(response, from);
    }

    [Theory]
    [MemberData(nameof(Http2Cases))]
    public async Task AnHttp2RequestWhoseAuthorityMakesNoUriGetsTheBland404AndIsAStrike(string method, string target, string? authority)
    {
        var from = fixture.NextAddress();
        var fields = new List<(string, string)> { (":method", method), (":scheme", "https"), (":path", target) };
        if (authority is not null)
        {
            fields.Add((":authority", authority));
        }

        var response = await Http2Probe.SendAsync(fixture.Config.Port, from, fields);

        await AssertBlandStrikeAsync(response, from);
    }

    [Fact]
    public async Task AScannerPathWithoutAHostIsStillBannedAtOnce()
    {
        var from = fixture.NextAddress();

        var response = await RawHttp.SendAsync(fixture.Config.Port, from, "GET /.env HTTP/1.0\r\n\r\n");

        Assert.Equal(404, response.Status);
        await fixture.Server.WaitForOutputAsync($"ScanGuard ban ip={from} reason=scanner-path", TimeSpan.FromSeconds(5));
        Assert.Empty(fixture.AuditDetails("bad-request", from));
    }

    [Fact]
    public async Task TheSamePagesStillAnswerARequestWithAGoodHost()
    {
        var from = fixture.NextAddress();
        var http1 = await RawHttp.SendAsync(fixture.Config.Port, from, $"GET {HostileInputServer.PathBase}/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
        var http2 = await Http2Probe.SendAsync(fixture.Config.Port, from,
            [(":method", "GET"), (":scheme", "https"), (":path", HostileInputServer.PathBase + TestConfig.AliceConsolePath), (":authority", "localhost:1")]);

        Assert.Equal(200, http1.Status);
        Assert.Equal(200, http2.Status);
        Assert.Empty(fixture.AuditDetails("bad-request", from));
    }

    private async Task AssertBlandStrikeAsync(RawResponse response, IPAddress from)
    {
        Assert.True(response.Status == 404, response.Text);
        Assert.Equal("Not Found\n", response.Body);
        Assert.True(response.HasSecurityHeaders, response.Text);
        var detail = Assert.Single(fixture.AuditDetails("bad-request", from));
        Assert.Contains("Host", detail, StringComparison.Ordinal);
        await fixture.Server.WaitForOutputAsync($"ScanGuard strike ip={from} reason=bad-request", TimeSpan.FromSeconds(5));
        // The request log says what was answered (it said 200 while the client got a 500), with the secrets redacted.
        var logged = fixture.Server.LogLines().Where(l => l.Contains("(bad-host)", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(logged);
        Assert.All(logged, line => Assert.Matches(@"HTTP (GET|POST) \[base\]\S* 404 in \d+ ms \(bad-host\)$", line));
        Assert.DoesNotContain(fixture.Server.LogLines(), l => l.Contains("hideout", StringComparison.OrdinalIgnoreCase) || l.Contains("7Qf2", StringComparison.Ordinal));
        Assert.DoesNotContain("UriFormatException", fixture.Server.Output, StringComparison.Ordinal);
    }
}
