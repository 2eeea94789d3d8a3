using System.Net;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Security;

public sealed class PathBaseTests
{
    [Theory]
    [InlineData("")]
    [InlineData("/a")]
    [InlineData("/a/b")]
    public async Task EverythingLivesUnderThePathBaseAndNothingOutsideIt(string pathBase)
    {
        using var config = TestConfig.Create(pathBase);
        await using var factory = new WebRtcChatFactory(config);
        using var client = factory.CreatePlainClient();

        var page = await client.GetAsync(pathBase + "/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains($"<base href=\"{pathBase}/\"", html, StringComparison.Ordinal);
        Assert.Contains("<script src=\"_framework/blazor.web.js\">", html, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(pathBase + "/_framework/blazor.web.js")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(pathBase + "/_content/WebRtcChat.Components/app.css")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(pathBase + "/js/webrtc-call.js")).StatusCode);
        var console = await client.GetAsync(pathBase + TestConfig.AliceConsolePath);
        Assert.Equal(HttpStatusCode.OK, console.StatusCode);
        Assert.Contains("<!--Blazor:{\"type\":\"server\"", await console.Content.ReadAsStringAsync(), StringComparison.Ordinal); // the interactive console
        var negotiate = await client.PostAsync(pathBase + "/_blazor/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.OK, negotiate.StatusCode);

        if (pathBase.Length > 0)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/_framework/blazor.web.js")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/js/webrtc-call.js")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(TestConfig.AliceConsolePath)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/_blazor/negotiate?negotiateVersion=1", null)).StatusCode);
        }
    }
}
