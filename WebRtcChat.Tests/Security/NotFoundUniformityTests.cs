using System.Net;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Security;

public sealed class NotFoundUniformityTests : IAsyncLifetime
{
    private const string PathBase = "/hid-den";
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

    public static TheoryData<string, string> UnknownRequests => new()
    {
        { "GET", "/" },                                          // the site root, outside the path base
        { "GET", "/hid-dens/" },                                 // a path base look-alike
        { "GET", "/HID-DEN/" },                                  // the path base in other case
        { "GET", TestConfig.AliceConsolePath },                  // the right console path outside the path base
        { "GET", PathBase + "/desk-7Qf2-alicE" },                // a wrong console path
        { "GET", PathBase + "/desk-7Qf2-alice/more" },           // below a console path
        { "GET", PathBase + "/desk-7Qf2" },                      // a prefix of a console path
        { "GET", PathBase + "/_framework/blazor.webx.js" },      // looks like a framework file
        { "GET", PathBase + "/_framework/" },
        { "GET", PathBase + "/_content/WebRtcChat.Components/missing.css" },
        { "GET", PathBase + "/js/missing.js" },
        { "GET", PathBase + "/favicon.ico" },
        { "GET", PathBase + "/.env" },
        { "GET", PathBase + "/wp-login.php" },
        { "GET", PathBase + "/%2e%2e/etc/passwd" },
        { "GET", PathBase + "/_blazor/nothing-here" },
        { "GET", PathBase + "/_blazor?id=no-such-connection" },     // SignalR's own 404 text is held back
        { "POST", PathBase + "/_blazor?id=no-such-connection" },
        { "GET", PathBase + "/_blazor" },                        // SignalR's 400 "Connection ID required" is held back
        { "POST", PathBase + "/_blazor/disconnect" },             // the circuit's 400 for a missing id too
        { "POST", PathBase + "/" },                              // the pages take no posts
        { "PUT", PathBase + TestConfig.AliceConsolePath },
        { "OPTIONS", PathBase + "/" },
        { "DELETE", PathBase + "/_framework/blazor.web.js" },
    };

    [Theory]
    [MemberData(nameof(UnknownRequests))]
    public async Task EveryUnknownPathGetsTheSameBland404(string method, string path)
    {
        var reference = await SendAsync("GET", "/nothing-at-all");
        var response = await SendAsync(method, path);

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Equal(reference.Headers, response.Headers);
        Assert.Equal(reference.Body, response.Body);
        Assert.Equal("Not Found\n", response.Body);
        Assert.DoesNotContain("blazor", response.Body, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(PathBase + "/_framework/blazor.web.js", "/wrong-base/_framework/blazor.web.js")]
    [InlineData(PathBase + "/_content/WebRtcChat.Components/app.css", PathBase + "x/_content/WebRtcChat.Components/app.css")]
    [InlineData(PathBase + "/js/webrtc-call.js", "/js/webrtc-call.js")]
    [InlineData(PathBase + "/", "/")]
    public async Task AHeadRequestCannotTellTheRightSubDirectoryFromAWrongOne(string right, string wrong)
    {
        var rightAnswer = await SendAsync("HEAD", right);
        var wrongAnswer = await SendAsync("HEAD", wrong);

        Assert.Equal(HttpStatusCode.NotFound, rightAnswer.Status);
        Assert.Equal(wrongAnswer, rightAnswer);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync("GET", right)).Status); // the right path does exist
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
