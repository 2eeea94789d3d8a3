using System.Buffers;
using System.Globalization;

namespace WebRtcChat.Components.Configuration;

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
public sealed record TurnUrl(string Text, TurnTransport Transport, string Host, int Port)
{
    private static readonly SearchValues<char> Ipv6Characters = SearchValues.Create("0123456789abcdefABCDEF:.");
    private static readonly SearchValues<char> NotInAName = SearchValues.Create("?[]/@");

    /// <summary>
    /// <c>turn[s]:HOST[:PORT][?transport=udp|tcp]</c>, where HOST is a name or an address, an IPv6 one in brackets; else
    /// null. Lower case and no <c>user@</c>, as libwebrtc requires (it refuses the whole configuration otherwise, and
    /// with it every call). The port is ASCII digits only (a pattern's <c>\d</c> took any script's digits, which
    /// <c>int.Parse</c> refuses).
    /// </summary>
    public static TurnUrl? Parse(string text)
    {
        var colon = text.IndexOf(':');
        var scheme = colon < 0 ? "" : text[..colon];
        var secure = scheme == "turns";
        if (!secure && scheme != "turn")
        {
            return null;
        }

        var rest = text.AsSpan(colon + 1);
        var tcp = false;
        if (rest.IndexOf('?') is var query and >= 0)
        {
            var parameter = rest[(query + 1)..];
            tcp = parameter.SequenceEqual("transport=tcp");
            if (!tcp && !parameter.SequenceEqual("transport=udp"))
            {
                return null;
            }

            rest = rest[..query];
        }

        ReadOnlySpan<char> host, port;
        if (rest.StartsWith("["))
        {
            var close = rest.IndexOf(']');
            host = close < 0 ? [] : rest[1..close];
            port = close < 0 ? [] : rest[(close + 1)..];
            if (host.IsEmpty || host.ContainsAnyExcept(Ipv6Characters) || port.Length > 0 && port[0] != ':')
            {
                return null;
            }
        }
        else
        {
            var portColon = rest.IndexOf(':');
            host = portColon < 0 ? rest : rest[..portColon];
            port = portColon < 0 ? [] : rest[portColon..];
            if (host.IsEmpty || host.ContainsAny(NotInAName))
            {
                return null;
            }
        }

        var number = secure ? 5349 : 3478;
        if (port.Length > 0)
        {
            var digits = port[1..];
            if (digits.Length is 0 or > 5 || digits.ContainsAnyExceptInRange('0', '9'))
            {
                return null;
            }

            number = int.Parse(digits, CultureInfo.InvariantCulture);
        }

        return number is < 1 or > 65535 ? null
            : new TurnUrl(text, secure ? TurnTransport.Tls : tcp ? TurnTransport.Tcp : TurnTransport.Udp, host.ToString(), number);
    }
}
