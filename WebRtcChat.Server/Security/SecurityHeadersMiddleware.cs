namespace WebRtcChat.Server.Security;

/// <summary>Puts <see cref="SecurityHeaders"/> on every response, first thing, so that no path can skip them.</summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    /// <summary>Handles one request.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        SecurityHeaders.Apply(context.Response.Headers);
        return next(context);
    }
}
