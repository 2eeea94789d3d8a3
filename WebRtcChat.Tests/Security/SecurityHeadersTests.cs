using System.Net;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Security;

public sealed class SecurityHeadersTests
{
    public static TheoryData<string, string, HttpStatusCode> EveryKindOfResponse => new()
    {
        { "GET", "/k3/", HttpStatusCode.OK },                                         // visitor page
        { "GET", "/k3" + TestConfig.AliceConsolePath, HttpStatusCode.OK },            // console page
        { "GET", "/k3/_framework/blazor.web.js", HttpStatusCode.OK },                 // framework script
        { "GET", "/k3/_content/WebRtcChat.Components/app.css", HttpStatusCode.OK },   // component library asset
        { "GET", "/k3/js/webrtc-call.js", HttpStatusCode.OK },                        // our JS module
        { "POST", "/k3/_blazor/negotiate?negotiateVersion=1", HttpStatusCode.OK },    // the circuit's hub
        { "GET", "/k3/unknown", HttpStatusCode.NotFound },                            // unknown path under the base
        { "GET", "/outside", HttpStatusCode.NotFound },                               // outside the base
    };

    [Theory]
    [MemberData(nameof(EveryKindOfResponse))]
    public async Task EveryResponseCarriesTheSecurityHeaders(string method, string path, HttpStatusCode expected)
    {
        using var config = TestConfig.Create("/k3");
        await using var factory = new WebRtcChatFactory(config);
        using var client = factory.CreatePlainClient();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Server"));
        Assert.False(response.Headers.Contains("X-Powered-By"));
    }

    [Fact]
    public async Task ConsolePagesAreNeverCachedNorIndexed()
    {
        using var config = TestConfig.Create();
        await using var factory = new WebRtcChatFactory(config);
        using var client = factory.CreatePlainClient();

        using var response = await client.GetAsync(TestConfig.AliceConsolePath);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl!.NoStore);
        Assert.Contains("noindex", Assert.Single(response.Headers.GetValues("X-Robots-Tag")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheVisitorPageLinksToNothingAndNamesNoConsole()
    {
        using var config = TestConfig.Create("/k3");
        await using var factory = new WebRtcChatFactory(config);
        using var client = factory.CreatePlainClient();

        var html = await client.GetStringAsync("/k3/");

        Assert.DoesNotContain(TestConfig.AliceConsolePath, html, StringComparison.Ordinal);
        Assert.DoesNotContain("alice", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<a ", html, StringComparison.OrdinalIgnoreCase);
        // The only URLs are the base, the inline icon, the stylesheet, the framework script and the clocks' element, all relative.
        var urls = System.Text.RegularExpressions.Regex.Matches(html, "(?:href|src)=\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(["/k3/", "data:,", "_content/WebRtcChat.Components/app.css", "_framework/blazor.web.js", "js/elapsed-time.js"], urls);
    }
}
