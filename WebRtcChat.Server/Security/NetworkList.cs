using System.Net;

namespace WebRtcChat.Server.Security;

/// <summary>A parsed list of addresses and CIDR ranges (validation has already checked every entry).</summary>
public sealed class NetworkList
{
    private readonly IPNetwork[] _networks;

    public NetworkList(IEnumerable<string> entries)
    {
        _networks = [.. entries.Select(Parse)];
    }

    /// <summary>True when the list is empty.</summary>
    public bool IsEmpty => _networks.Length == 0;

    /// <summary>True when <paramref name="address"/> (IPv4-mapped IPv6 counts as IPv4) is in one of the ranges.</summary>
    public bool Contains(IPAddress address)
    {
        var normalized = Normalize(address);
        return _networks.Any(n => n.Contains(normalized));
    }

    /// <summary>IPv4-mapped IPv6 addresses as plain IPv4, so that one client has one form everywhere.</summary>
    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static IPNetwork Parse(string entry)
    {
        if (IPAddress.TryParse(entry, out var single))
        {
            single = Normalize(single);
            return new IPNetwork(single, single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        }

        return IPNetwork.Parse(entry);
    }
}
