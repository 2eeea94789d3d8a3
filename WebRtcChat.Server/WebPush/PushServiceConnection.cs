using System.Net;
using System.Net.Sockets;
using WebRtcChat.Server.Security;

namespace WebRtcChat.Server.WebPush;

/// <summary>
/// How the server connects to a push service: only to a public address. A subscription's endpoint comes from a page,
/// and its rules (<c>PushSubscriptionRules</c>) already want https on a DNS name; this is the other half, so that a
/// name resolving into this machine or its network (loopback, private, link-local, shared, unique-local) is never
/// posted to, whatever the DNS says at the time.
/// </summary>
public static class PushServiceConnection
{
    private static readonly NetworkList NotPublic = new([
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
        "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/3", "::/128", "::1/128", "64:ff9b:1::/48", "fc00::/7", "fe80::/10", "ff00::/8",
    ]);

    /// <summary>Whether the server may post to <paramref name="address"/>.</summary>
    public static bool IsPublic(IPAddress address) => !NotPublic.Contains(address);

    /// <summary>A <see cref="SocketsHttpHandler.ConnectCallback"/>: the first public address of the name, or a refusal.</summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return await ConnectAsync(context.DnsEndPoint, cancellationToken);
    }

    /// <summary>Resolves <paramref name="endpoint"/> and connects to its first public address.</summary>
    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var addresses = await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
        var allowed = addresses.Where(IsPublic).ToArray();
        if (allowed.Length == 0)
        {
            throw new HttpRequestException(HttpRequestError.ConnectionError, "the push service's name has no public address");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
