using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace WebRtcChat.Tests.Infrastructure;

/// <summary>One answer as it came over the wire: a status of 0 means the server closed without an HTTP answer.</summary>
public sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public static RawResponse Closed { get; } = new(0, new Dictionary<string, string>(), "");

    public string Text => $"{Status} {string.Join(", ", Headers.Select(h => h.Key + "=" + h.Value))}\n{Body}";

    public bool HasSecurityHeaders =>
        Headers.TryGetValue("x-content-type-options", out var nosniff) && nosniff == "nosniff"
        && Headers.ContainsKey("content-security-policy") && Headers.ContainsKey("referrer-policy") && Headers.ContainsKey("x-frame-options");

    /// <summary>Nothing came back and the connection was still open when the client gave up.</summary>
    public static RawResponse StillOpen { get; } = new(-2, new Dictionary<string, string>(), "");

    /// <summary>Reads the first HTTP/1.x answer in <paramref name="bytes"/> (null: nothing came, and the connection stayed open).</summary>
    public static RawResponse Parse(byte[]? bytes)
    {
        if (bytes is null)
        {
            return StillOpen;
        }

        var text = Encoding.Latin1.GetString(bytes);
        var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (!text.StartsWith("HTTP/", StringComparison.Ordinal) || headEnd < 0)
        {
            return bytes.Length == 0 ? Closed : new RawResponse(-1, new Dictionary<string, string>(), text);
        }

        var lines = text[..headEnd].Split("\r\n");
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }

        return new RawResponse(int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), headers, text[(headEnd + 4)..]);
    }
}

/// <summary>Requests written byte by byte, for what HttpClient would refuse to send.</summary>
public static class RawHttp
{
    /// <summary>Opens a TCP connection from <paramref name="from"/> and, unless <paramref name="tls"/> is false, TLS on it.</summary>
    public static async Task<Stream> ConnectAsync(int port, IPAddress from, bool tls = true, string? alpn = null)
    {
        var tcp = new TcpClient(new IPEndPoint(from, 0));
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        if (!tls)
        {
            return tcp.GetStream();
        }

        var ssl = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ApplicationProtocols = alpn is null ? null : [new SslApplicationProtocol(alpn)],
        }, timeout.Token);
        return ssl;
    }

    /// <summary>
    /// Sends <paramref name="request"/> and reads until the server closes (or the time is up, 10 s unless told).
    /// Null when the time ran out with nothing received and the connection still open.
    /// </summary>
    public static async Task<byte[]?> ExchangeAsync(int port, IPAddress from, byte[] request, bool tls = true, TimeSpan? wait = null)
    {
        Stream stream;
        try
        {
            stream = await ConnectAsync(port, from, tls);
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or SocketException)
        {
            return []; // closed during the handshake
        }

        await using (stream)
        {
            using var received = new MemoryStream();
            try
            {
                await stream.WriteAsync(request);
                await stream.FlushAsync();
                var buffer = new byte[8192];
                using var timeout = new CancellationTokenSource(wait ?? TimeSpan.FromSeconds(10));
                int read;
                while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
                {
                    received.Write(buffer, 0, read);
                }
            }
            catch (OperationCanceledException) when (received.Length == 0)
            {
                return null;
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // a reset, or a time-out after an answer: what came before it is the answer
            }

            return received.ToArray();
        }
    }

    /// <summary>Sends an HTTP/1.x request written as text (lines end in CRLF as given) and parses the answer.</summary>
    public static async Task<RawResponse> SendAsync(int port, IPAddress from, string request) =>
        RawResponse.Parse(await ExchangeAsync(port, from, Encoding.Latin1.GetBytes(request)));
}
