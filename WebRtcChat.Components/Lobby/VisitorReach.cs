using WebRtcChat.Components.Configuration;

namespace WebRtcChat.Components.Lobby;

/// <summary>One TURN URL as a browser's check found it: a relay candidate came, or the ICE error it got.</summary>
public sealed record UrlCheck(string Url, bool Reached, int? Error);

/// <summary>What a browser's connectivity check found: whether UDP gets out (a server-reflexive address), and each URL.</summary>
public sealed record ConnectivityReport(bool ServerReflexive, IReadOnlyList<UrlCheck> Urls);

/// <summary>How a waiting visitor's browser can be reached, as its page's check found before the host calls.</summary>
public enum VisitorReach
{
    /// <summary>Not checked (yet, or no relay is configured to check).</summary>
    Unknown,

    /// <summary>UDP gets out: a direct connection is possible, with the relay behind it.</summary>
    Direct,

    /// <summary>Only through the relay, over UDP (relay only is configured).</summary>
    RelayUdp,

    /// <summary>Only through the relay, and only over TCP: the network drops UDP.</summary>
    RelayTcpOnly,

    /// <summary>Only through the relay, and only over TLS on 443: the network lets out only HTTPS.</summary>
    RelayTlsOnly,

    /// <summary>No relay URL answered: the call will most likely fail.</summary>
    NoRelay,
}

/// <summary>Reads a connectivity report as the console shows it.</summary>
public static class VisitorReaches
{
    public static VisitorReach Of(ConnectivityReport report, IceOptions ice)
    {
        bool Reached(Func<string, bool> kind) => report.Urls.Any(u => u.Reached && kind(u.Url));
        if (report.ServerReflexive && !ice.RelayOnly)
        {
            return VisitorReach.Direct;
        }

        bool ReachedOver(TurnTransport transport) => Reached(url => TurnUrl.Parse(url)?.Transport == transport);
        return ReachedOver(TurnTransport.Udp) ? VisitorReach.RelayUdp
            : ReachedOver(TurnTransport.Tcp) ? VisitorReach.RelayTcpOnly
            : ReachedOver(TurnTransport.Tls) ? VisitorReach.RelayTlsOnly
            : VisitorReach.NoRelay;
    }

    /// <summary>The console's words.</summary>
    public static string Describe(VisitorReach reach) => reach switch
    {
        VisitorReach.Direct => "direct possible",
        VisitorReach.RelayUdp => "relay over UDP",
        VisitorReach.RelayTcpOnly => "relay over TCP only",
        VisitorReach.RelayTlsOnly => "relay over TLS only",
        VisitorReach.NoRelay => "no relay reachable",
        _ => "",
    };
}
