using WebRtcChat.Components.Configuration;

namespace WebRtcChat.Server.Commands;

/// <summary>
/// A coturn configuration that matches <c>Ice.*</c>: the same shared secret, a realm from the TURN URLs, UDP/TCP on
/// 3478 and TLS on 443, and the hardening of <c>appconfig/coturn.conf.example</c> (no relaying into private ranges,
/// quotas for a handful of people).
/// </summary>
public static class CoturnConfig
{
    // Private, loopback, CGNAT, link-local, documentation, multicast and unique-local ranges: never relayed to.
    private static readonly string[] DeniedPeers =
    [
        "0.0.0.0-0.255.255.255", "10.0.0.0-10.255.255.255", "100.64.0.0-100.127.255.255", "127.0.0.0-127.255.255.255",
        "169.254.0.0-169.254.255.255", "172.16.0.0-172.31.255.255", "192.0.0.0-192.0.0.255", "192.0.2.0-192.0.2.255",
        "192.168.0.0-192.168.255.255", "198.18.0.0-198.19.255.255", "198.51.100.0-198.51.100.255",
        "203.0.113.0-203.0.113.255", "224.0.0.0-255.255.255.255", "::1", "64:ff9b::-64:ff9b::ffff:ffff",
        "fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fe80::-febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    ];

    /// <summary>The file's text, for <c>/etc/turnserver.conf</c>.</summary>
    public static string Render(WebRtcChatOptions options)
    {
        var ice = options.Ice;
        var realm = ice.TurnServers.Select(HostOf).FirstOrDefault(h => h.Length > 0) ?? "CHANGE-ME.example.org";
        var text = new List<string>();
        text.Add("# coturn configuration written by `webrtcchat coturn-config` to match Ice.* in the WebRtcChat configuration.");
        text.Add("# Save it as /etc/turnserver.conf, set external-ip, then `systemctl restart coturn`.");
        text.Add("listening-port=3478");
        text.Add("tls-listening-port=443");
        if (options.Server.CertificateFile.Length > 0)
        {
            text.Add($"cert={options.Server.CertificateFile}");
            text.Add($"pkey={options.Server.KeyFile}");
        }
        else
        {
            text.Add("# TURN over TLS needs a certificate for the realm: cert=/path/fullchain.pem and pkey=/path/privkey.pem");
        }

        text.Add("min-port=49160");
        text.Add("max-port=49200");
        text.Add("external-ip=CHANGE-ME");
        text.Add($"realm={realm}");
        text.Add("use-auth-secret");
        text.Add(ice.TurnSharedSecret.Length > 0
            ? $"static-auth-secret={ice.TurnSharedSecret}"
            : "static-auth-secret=CHANGE-ME  # and the same in Ice.TurnSharedSecret (openssl rand -base64 32)");
        text.Add("no-multicast-peers");
        foreach (var range in DeniedPeers)
        {
            text.Add($"denied-peer-ip={range}");
        }

        text.Add("user-quota=12");
        text.Add("total-quota=60");
        text.Add("max-bps=3000000");
        text.Add("stale-nonce=600");
        text.Add("no-dtls");
        text.Add("no-cli");
        text.Add("fingerprint");
        text.Add("no-software-attribute");
        text.Add("syslog");
        return string.Join('\n', text) + "\n";
    }

    // turn:host:port?transport=udp, turns:host — the host part.
    private static string HostOf(string url)
    {
        var rest = url[(url.IndexOf(':', StringComparison.Ordinal) + 1)..];
        var end = rest.IndexOfAny([':', '?']);
        return end < 0 ? rest : rest[..end];
    }
}
