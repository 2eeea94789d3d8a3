using Microsoft.AspNetCore.Http;
using WebRtcChat.Server.Security;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Security;

public sealed class LastResortTests
{
    [Fact]
    public async Task AnExceptionFromOurOwnCodeIsAnsweredWithTheBland404AndLoggedAsAnError()
    {
        var logger = new RecordingLogger<LastResortMiddleware>();
        var middleware = new LastResortMiddleware(_ => throw new UriFormatException("Invalid URI"), logger);
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        context.Response.Headers.CacheControl = "no-store";

        await middleware.InvokeAsync(context);

        Assert.Equal(StatusCodes.Status404NotFound, context.Response.StatusCode);
        Assert.Equal("Not Found\n", System.Text.Encoding.ASCII.GetString(((MemoryStream)context.Response.Body).ToArray()));
        Assert.Equal("nosniff", context.Response.Headers.XContentTypeOptions);
        Assert.False(context.Response.Headers.ContainsKey("Cache-Control")); // the same bytes as every other 404
        Assert.Equal(RequestOutcome.Failed, context.Items[RequestOutcome.Key]);
        Assert.Single(logger.Errors);
    }
}
