using System.Net;
using Microsoft.Extensions.Primitives;
using WebRtcChat.Components.Configuration;

namespace WebRtcChat.Server.Security;

/// <summary>
/// Decides the one client address that bans, geoblocking, the audit and the console all use. <c>X-Forwarded-For</c>
/// is believed only when the socket peer is in <c>Server.TrustedProxies</c>; then the client is the right-most entry
/// that is not itself a trusted proxy. From anyone else the header is ignored and the socket address is the client.
/// </summary>
public sealed class ClientAddressMiddleware(RequestDelegate next, WebRtcChatSettings settings)
{
    private const int MaxHeaderLength = 2048;
    private const int MaxEntries = 20;
    private NetworkList? _proxies;

    /// <summary>Handles one request.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var peer = context.Connection.RemoteIpAddress;
        if (peer is not null)
        {
            peer = NetworkList.Normalize(peer);
            var proxies = Proxies();
            context.Connection.RemoteIpAddress = proxies.IsEmpty || !proxies.Contains(peer)
                ? peer
                : FromForwardedFor(context.Request.Headers["X-Forwarded-For"], proxies) ?? peer;
        }

        return next(context);
    }

    /// <summary>The right-most forwarded address that is not a trusted proxy, or null when there is none usable.</summary>
    public static IPAddress? FromForwardedFor(StringValues headers, NetworkList proxies)
    {
        var joined = string.Join(',', headers.ToArray());
        if (joined.Length == 0 || joined.Length > MaxHeaderLength)
        {
            return null;
        }

        var entries = joined.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        IPAddress? client = null;
        foreach (var entry in entries.Reverse().Take(MaxEntries))
        {
            if (!TryParseEntry(entry, out var address))
            {
                break; // garbage: trust nothing to its left
            }

            client = NetworkList.Normalize(address);
            if (!proxies.Contains(client))
            {
                return client;
            }
        }

        return client;
    }

    private static bool TryParseEntry(string entry, out IPAddress address)
    {
        // "203.0.113.7", "203.0.113.7:4711", "[2001:db8::1]:4711" or "2001:db8::1"
        if (IPAddress.TryParse(entry, out address!))
        {
            return true;
        }

        if (IPEndPoint.TryParse(entry, out var endPoint))
        {
            address = endPoint.Address;
            return true;
        }

        return false;
    }

    private NetworkList Proxies() => NetworkList.For(settings.Current.Server.TrustedProxies, ref _proxies);
}
