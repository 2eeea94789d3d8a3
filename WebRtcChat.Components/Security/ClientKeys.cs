using System.Net;
using System.Net.Sockets;

namespace WebRtcChat.Components.Security;

/// <summary>One key per client for bans and per-address limits.</summary>
public static class ClientKeys
{
    /// <summary>
    /// The address itself for IPv4 (IPv4-mapped IPv6 included), its /64 for IPv6: one IPv6 client usually holds a
    /// whole /64 and could otherwise step around a ban or a limit with the next address.
    /// </summary>
    public static IPAddress Of(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6 || IPAddress.IsLoopback(address))
        {
            return address;
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }

    /// <summary>The key of an address given as text; text that is no address is its own key.</summary>
    public static string Of(string address) => IPAddress.TryParse(address, out var ip) ? Of(ip).ToString() : address;
}
