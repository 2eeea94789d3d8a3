using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace WebRtcChat.Bench;

/// <summary>What the clients of the bench do over the wire: page loads, bland 404s, and connections from a banned address.</summary>
internal static class Http
{
    /// <summary>
    /// One page load as a new visitor makes it: a new TCP connection and TLS handshake, one GET, the whole body read.
    /// Returns the status, or 0 when nothing listens yet.
    /// </summary>
    public static async Task<int> LoadAsync(Uri url, IPAddress? from = null, CancellationToken cancel = default)
    {
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
            AllowAutoRedirect = false,
            ConnectCallback = async (context, token) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(from ?? IPAddress.Loopback, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, token);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            using var response = await client.GetAsync(url, cancel);
            await response.Content.ReadAsByteArrayAsync(cancel);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException or IOException)
        {
            return 0;
        }
    }

    /// <summary>Page loads one after another, each timed, in milliseconds.</summary>
    public static async Task<List<double>> TimeLoadsAsync(Uri url, int count)
    {
        var times = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var clock = Stopwatch.StartNew();
            var status = await LoadAsync(url);
            if (status != 200)
            {
                throw new InvalidOperationException($"{url} answered {status}");
            }

            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        return times;
    }

    /// <summary>Page loads for as long as <paramref name="until"/> is not cancelled, each timed, in milliseconds.</summary>
    public static async Task<List<double>> TimeLoadsAsync(Uri url, CancellationToken until)
    {
        var times = new List<double>();
        while (!until.IsCancellationRequested)
        {
            var clock = Stopwatch.StartNew();
            if (await LoadAsync(url, cancel: CancellationToken.None) == 200) // a load under way is finished
            {
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        return times;
    }

    /// <summary>
    /// A prober's request: a new connection and TLS handshake, one GET of a path that does not exist, the bland 404
    /// read to its end. Repeated until <paramref name="until"/>; returns how many were answered.
    /// </summary>
    public static async Task<int> ProbeUnknownPathsAsync(IPAddress from, int port, CancellationToken until)
    {
        var request = Encoding.ASCII.GetBytes($"GET /no-such-page HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
        var buffer = new byte[16 * 1024];
        var answered = 0;
        while (!until.IsCancellationRequested)
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(from, 0));
            await socket.ConnectAsync(IPAddress.Loopback, port);
            await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false), false, (_, _, _, _) => true);
            // Each probe is finished once begun: `until` is only read between probes.
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, CancellationToken.None);
            await tls.WriteAsync(request, CancellationToken.None);
            var received = new StringBuilder();
            int read;
            while ((read = await tls.ReadAsync(buffer, CancellationToken.None)) > 0)
            {
                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            if (!received.ToString().StartsWith("HTTP/1.1 404", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("expected the bland 404, got: " + received.ToString().Split('\n')[0]);
            }

            answered++;
        }

        return answered;
    }

    /// <summary>
    /// A banned address's flood: TCP connects in a tight loop, each waiting for the server to close it. Returns how
    /// many connections were made; any that got a byte back means the address was not refused.
    /// </summary>
    public static async Task<int> FloodFromAsync(IPAddress from, int port, CancellationToken until)
    {
        var buffer = new byte[1];
        var made = 0;
        Interlocked.Exchange(ref _floodCount, 0);
        while (!until.IsCancellationRequested)
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(from, 0));
            try
            {
                await socket.ConnectAsync(IPAddress.Loopback, port);
                if (await socket.ReceiveAsync(buffer) > 0)
                {
                    throw new InvalidOperationException($"{from} was not refused: the server sent a byte");
                }
            }
            catch (SocketException)
            {
                // a reset is a refusal too
            }

            made++;
            Interlocked.Increment(ref _floodCount);
        }

        return made;
    }

    private static long _floodCount;

    /// <summary>How many connections the flood running now has made so far.</summary>
    public static long FloodCount => Interlocked.Read(ref _floodCount);
}
