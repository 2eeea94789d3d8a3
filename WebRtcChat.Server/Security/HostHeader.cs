using Microsoft.AspNetCore.Http.Extensions;

namespace WebRtcChat.Server.Security;

/// <summary>
/// Whether a request's Host can make the absolute URI the pages are rendered against. Kestrel lets through an HTTP/1.0
/// request without Host, an HTTP/2 request without <c>:authority</c>, an empty Host, a port past 65535 and a host name
/// no URI can hold; the framework's <c>NavigationManager</c> then throws, which would answer 500 on the right paths
/// only, and so tell them from wrong ones.
/// </summary>
public static class HostHeader
{
    /// <summary>True when <paramref name="host"/> makes a valid https URI, as the components' base URI is built.</summary>
    public static bool IsUsable(HostString host)
    {
        try
        {
            return host.HasValue
                && Uri.TryCreate(UriHelper.BuildAbsolute("https", host), UriKind.Absolute, out var uri)
                && uri.Host.Length > 0;
        }
        catch (ArgumentException)
        {
            return false; // a name the IDN mapping refuses
        }
    }

    /// <summary>The host as it may appear in an audit record: bounded and printable.</summary>
    public static string Describe(HostString host) =>
        host.HasValue ? "\"" + Logging.RequestLogMiddleware.Sanitize(host.Value, max: 64) + "\"" : "missing";
}
