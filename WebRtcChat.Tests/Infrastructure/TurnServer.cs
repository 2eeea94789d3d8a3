using System.Diagnostics;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Server.Commands;

namespace WebRtcChat.Tests.Infrastructure;

/// <summary>coturn with a shared secret (use-auth-secret), as the README sets it up: on loopback, or in the network lab.</summary>
public sealed class TurnServer : IAsyncDisposable
{
    public const string SharedSecret = "test-shared-secret-0123456789";

    private readonly Process _process;

    private TurnServer(Process process, string address, int port, int tlsPort)
    {
        _process = process;
        (Address, Port, TlsPort) = (address, port, tlsPort);
    }

    public string Address { get; }

    public int Port { get; }

    /// <summary>The TURN-over-TLS port, or 0 when TLS is off.</summary>
    public int TlsPort { get; }

    public string Url => $"turn:{Address}:{Port}?transport=udp";

    public string TcpUrl => $"turn:{Address}:{Port}?transport=tcp";

    public string TlsUrl => $"turns:{Address}:{TlsPort}?transport=tcp";

    /// <summary>On a free loopback port, UDP and TCP, no TLS.</summary>
    public static async Task<TurnServer> StartAsync()
    {
        var port = TestConfig.FreePort();
        var relayBase = 40000 + (port % 200) * 100;
        var process = Start(new ProcessStartInfo("turnserver"), [
            "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", $"--listening-port={port}",
            $"--min-port={relayBase}", $"--max-port={relayBase + 99}", "--allow-loopback-peers", "--no-tls"]);
        var server = new TurnServer(process, "127.0.0.1", port, 0);
        if (await CoturnProcess.AnswersOnLoopbackAsync(process, port))
        {
            return server;
        }

        await server.DisposeAsync();
        throw new InvalidOperationException("turnserver did not answer on 127.0.0.1:" + port);
    }

    /// <summary>
    /// In the lab's internet, from the shipped <c>appconfig/coturn.conf.example</c> as <c>webrtcchat coturn-config</c>
    /// writes it: UDP and TCP on 3478, TLS on 443, with the given certificate. Changed only where the lab is not the
    /// internet: its own address to listen on, no external-ip, the lab's documentation ranges not denied as peers,
    /// and the log on standard output.
    /// </summary>
    public static async Task<TurnServer> StartInLabAsync(NetworkLab lab, string certificateFile, string keyFile)
    {
        const int port = 3478, tlsPort = 443;
        var address = NetworkLab.TurnAddress;
        var shipped = CoturnConfig.Render(new WebRtcChatOptions
        {
            Ice = new IceOptions { TurnServers = [$"turn:{address}:{port}?transport=udp"], TurnSharedSecret = SharedSecret },
        });
        var lines = shipped.Split('\n').Where(line => !line.StartsWith("external-ip=", StringComparison.Ordinal)
            && !line.StartsWith("denied-peer-ip=198.51.100.", StringComparison.Ordinal) && !line.StartsWith("denied-peer-ip=203.0.113.", StringComparison.Ordinal)
            && line != "syslog").Select(line => line.Split('=')[0] switch
            {
                "cert" => "cert=" + certificateFile,
                "pkey" => "pkey=" + keyFile,
                _ => line,
            }).ToList();
        Assert.Contains($"listening-port={port}", lines);
        Assert.Contains($"tls-listening-port={tlsPort}", lines);
        lines.AddRange([$"listening-ip={address}", $"relay-ip={address}", "log-file=stdout", "simple-log"]);
        var file = Path.Combine(lab.Directory, "turnserver.conf");
        File.WriteAllLines(file, lines);

        var process = Start(NetworkLab.InNamespace(lab.Internet, "turnserver", ["-c", file]), []);
        var server = new TurnServer(process, address, port, tlsPort);
        if (!await Eventually.HoldsAsync(() => process.HasExited || (NetworkLab.Listens(lab.Internet, address, port) && NetworkLab.Listens(lab.Internet, address, tlsPort)), TimeSpan.FromSeconds(20))
            || process.HasExited)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException("turnserver did not listen in the lab");
        }

        return server;
    }

    private static readonly string[] Common =
    [
        "--use-auth-secret", $"--static-auth-secret={SharedSecret}", "--realm=webrtcchat.test",
        "--no-dtls", "--no-cli", "--fingerprint", "--no-multicast-peers", "--log-file=stdout", "--simple-log",
    ];

    // With no arguments given, only the configuration file the start info names.
    private static Process Start(ProcessStartInfo start, string[] listening) =>
        CoturnProcess.Start(start, listening.Length == 0 ? [] : listening.Prepend("-n").Concat(Common));

    public ValueTask DisposeAsync()
    {
        CoturnProcess.Stop(_process);
        return ValueTask.CompletedTask;
    }
}
