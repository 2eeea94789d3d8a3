using WebRtcChat.Components.Configuration;

namespace WebRtcChat.Server.Commands;

/// <summary>
/// A coturn configuration that matches <c>Ice.*</c>: <c>appconfig/coturn.conf.example</c> (embedded, so that the
/// hardening is written once: no relaying into private ranges, quotas for a handful of people) with the same shared
/// secret and the realm from the TURN URLs. It listens on UDP and TCP 3478 and on TLS 443, with the certificate
/// <c>contrib/certbot/coturn-deploy-hook</c> copies for it.
/// </summary>
public static class CoturnConfig
{
    /// <summary>The file's text, for <c>/etc/turnserver.conf</c>.</summary>
    public static string Render(WebRtcChatOptions options)
    {
        var ice = options.Ice;
        var realm = ice.TurnServers.Select(HostOf).FirstOrDefault(h => h.Length > 0);
        var lines = new List<string>
        {
            "# Written by `webrtcchat coturn-config` to match Ice.* in the WebRtcChat configuration, from the shipped example.",
        };
        foreach (var line in Example().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'))
        {
            var key = line.Split('=')[0];
            lines.AddRange(key switch
            {
                "realm" when realm is not null => [$"realm={realm}"],
                "static-auth-secret" when ice.TurnSharedSecret.Length > 0 => [$"static-auth-secret={ice.TurnSharedSecret}"],
                _ => [line],
            });
        }

        return string.Join('\n', lines) + "\n";
    }

    private static string Example()
    {
        using var stream = typeof(CoturnConfig).Assembly.GetManifestResourceStream("WebRtcChat.Server.coturn.conf.example")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    // turn:host:port?transport=udp, turns:host — the host part.
    private static string HostOf(string url)
    {
        var rest = url[(url.IndexOf(':', StringComparison.Ordinal) + 1)..];
        var end = rest.IndexOfAny([':', '?']);
        return end < 0 ? rest : rest[..end];
    }
}
