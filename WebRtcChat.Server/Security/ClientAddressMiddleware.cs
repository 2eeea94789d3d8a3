using System.Net;
using Microsoft.Extensions.Primitives;
using WebRtcChat.Components.Configuration;

namespace WebRtcChat.Server.Security;

/// <summary>
/// Decides the one client address that bans, geoblocking, the audit and the console all use. <c>X-Forwarded-For</c>
/// is believed only when the socket peer is in <c>Server.TrustedProxies</c>; then the client is the right-most entry
/// that is not itself a trusted proxy. From anyone else the header is ignored and the socket address is the client.
/// </summary>
public sealed class ClientAddressMiddleware(RequestDelegate next, WebRtcChatSettings settings, ILogger<ClientAddressMiddleware> logger, TimeProvider time)
{
    private const int MaxHeaderLength = 2048;
    private const int MaxEntries = 20;
    private NetworkList? _proxies;
    private long _lastWarning = long.MinValue;

    /// <summary>Handles one request.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var peer = context.Connection.RemoteIpAddress;
        if (peer is not null)
        {
            peer = NetworkList.Normalize(peer);
            var proxies = Proxies();
            if (!proxies.IsEmpty && proxies.Contains(peer))
            {
                var client = FromForwardedFor(context.Request.Headers["X-Forwarded-For"], proxies);
                if (client is null)
                {
                    // A trusted proxy always appends the address it saw. Without one, falling back to the proxy's own
                    // address would hand the client the proxy's immunity from bans and geoblocking.
                    context.Items[RequestOutcome.Key] = RequestOutcome.NoClientAddress;
                    WarnMisconfiguredProxy(peer);
                    return BlandNotFound.WriteAsync(context);
                }

                peer = client;
            }

            context.Connection.RemoteIpAddress = peer;
        }

        return next(context);
    }

    /// <summary>
    /// The right-most forwarded address that is not a trusted proxy, or null when there is none usable. Only the end
    /// of an overlong header is read: that is the part the trusted proxies appended; the rest came from the client.
    /// </summary>
    public static IPAddress? FromForwardedFor(StringValues headers, NetworkList proxies)
    {
        var joined = string.Join(',', headers.ToArray());
        if (joined.Length > MaxHeaderLength)
        {
            joined = joined[^MaxHeaderLength..];
            joined = joined[(joined.IndexOf(',', StringComparison.Ordinal) + 1)..]; // the first entry may be cut
        }

        var entries = joined.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var entry in entries.Reverse().Take(MaxEntries))
        {
            if (!TryParseEntry(entry, out var address))
            {
                break; // garbage: trust nothing to its left
            }

            var client = NetworkList.Normalize(address);
            if (!proxies.Contains(client))
            {
                return client;
            }
        }

        return null; // only proxies, or garbage before a client: there is no client address to believe
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

    // A proxy set up without X-Forwarded-For would otherwise fail silently: said at most every ten minutes.
    private void WarnMisconfiguredProxy(IPAddress proxy)
    {
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _lastWarning);
        if (last != long.MinValue && time.GetElapsedTime(last, now) < TimeSpan.FromMinutes(10))
        {
            return;
        }

        Interlocked.Exchange(ref _lastWarning, now);
        logger.LogWarning("A request from the trusted proxy {Proxy} had no usable X-Forwarded-For and got the 404: make the proxy send the client's address (see the README)", proxy);
    }

    private NetworkList Proxies() => NetworkList.For(settings.Current.Server.TrustedProxies, ref _proxies);
}
