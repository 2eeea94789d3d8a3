using Microsoft.Extensions.Primitives;

namespace WebRtcChat.Server.Security;

/// <summary>Headers every response carries, whatever produced it.</summary>
public static class SecurityHeaders
{
    /// <summary>
    /// The Content-Security-Policy. Scripts only from this origin (blazor.web.js and our module); the circuit's
    /// WebSocket is same-origin; styles allow inline because Blazor's reconnect UI injects them; the page icon is
    /// a <c>data:</c> URL so that browsers never ask for <c>/favicon.ico</c> outside the path base; the console's manifest
    /// and push worker come from this origin (under the console's path).
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "connect-src 'self'; media-src 'self' blob: mediastream:; manifest-src 'self'; worker-src 'self'; base-uri 'self'; form-action 'self'; " +
        "frame-ancestors 'none'";

    /// <summary>Sets the headers on a response about to be sent.</summary>
    public static void Apply(IHeaderDictionary headers)
    {
        headers["Referrer-Policy"] = "no-referrer";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(self), microphone=(self), geolocation=(), payment=(), usb=()";
    }

    /// <summary>Sets the extra headers of a console page: never cached, never indexed.</summary>
    public static void ApplyConsole(IHeaderDictionary headers)
    {
        headers.CacheControl = new StringValues("no-store");
        headers["X-Robots-Tag"] = "noindex, nofollow";
    }
}
