using System.Globalization;
using System.Text.RegularExpressions;

namespace WebRtcChat.Server.Turn;

/// <summary>How a browser reaches a TURN server: plain UDP or TCP, or TLS over TCP.</summary>
public enum TurnTransport
{
    Udp,
    Tcp,
    Tls,
}

/// <summary>
/// One <c>Ice.TurnServers</c> entry, read as a browser reads it (RFC 7065): <c>turn:</c> over UDP unless
/// <c>?transport=tcp</c>, <c>turns:</c> over TLS; ports 3478 and 5349 unless given.
/// </summary>
public sealed partial record TurnUrl(string Text, TurnTransport Transport, string Host, int Port)
{
    public static TurnUrl? Parse(string text)
    {
        var match = Shape().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var secure = match.Groups["scheme"].Value.Equals("turns", StringComparison.OrdinalIgnoreCase);
        var tcp = match.Groups["transport"].Value.Equals("tcp", StringComparison.OrdinalIgnoreCase);
        var host = match.Groups["host"].Value.Trim('[', ']');
        var port = match.Groups["port"].Success ? int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture) : secure ? 5349 : 3478;
        return port is < 1 or > 65535 ? null : new TurnUrl(text, secure ? TurnTransport.Tls : tcp ? TurnTransport.Tcp : TurnTransport.Udp, host, port);
    }

    [GeneratedRegex(@"^(?<scheme>turns?):(?<host>\[[0-9A-Fa-f:.]+\]|[^:?\[\]/]+)(?::(?<port>\d{1,5}))?(?:\?transport=(?<transport>udp|tcp))?$", RegexOptions.IgnoreCase)]
    private static partial Regex Shape();
}
