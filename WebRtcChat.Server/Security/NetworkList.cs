using System.Net;

namespace WebRtcChat.Server.Security;

/// <summary>A parsed list of addresses and CIDR ranges (validation has already checked every entry).</summary>
public sealed class NetworkList
{
    private readonly IPNetwork[] _networks;

    public NetworkList(IReadOnlyList<string> entries)
    {
        Source = entries;
        _networks = [.. entries.Select(Parse)];
    }

    /// <summary>The configured list this was parsed from (configuration lists are immutable, so it is a cache key).</summary>
    public IReadOnlyList<string> Source { get; }

    /// <summary>
    /// <paramref name="cached"/> when it was parsed from <paramref name="entries"/>, else a new parse: once per
    /// configuration, not once per request or connection.
    /// </summary>
    public static NetworkList For(IReadOnlyList<string> entries, ref NetworkList? cached)
    {
        var current = cached;
        if (current is null || !ReferenceEquals(current.Source, entries))
        {
            current = new NetworkList(entries);
            cached = current;
        }

        return current;
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

        // "::ffff:192.0.2.0/120" means the same addresses as "192.0.2.0/24", and addresses are compared as IPv4.
        var network = IPNetwork.Parse(entry);
        return network.BaseAddress.IsIPv4MappedToIPv6 && network.PrefixLength >= 96
            ? new IPNetwork(network.BaseAddress.MapToIPv4(), network.PrefixLength - 96)
            : network;
    }
}
