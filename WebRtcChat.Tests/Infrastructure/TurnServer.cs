using System.Diagnostics;
using System.Net.Sockets;

namespace WebRtcChat.Tests.Infrastructure;

/// <summary>coturn on 127.0.0.1 with a shared secret (use-auth-secret), as the README sets it up, but on loopback.</summary>
public sealed class TurnServer : IAsyncDisposable
{
    public const string SharedSecret = "test-shared-secret-0123456789";

    private readonly Process _process;

    private TurnServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Url => $"turn:127.0.0.1:{Port}?transport=udp";

    public static async Task<TurnServer> StartAsync()
    {
        var port = TestConfig.FreePort();
        var relayBase = 40000 + (port % 200) * 100;
        var start = new ProcessStartInfo("turnserver")
        {
            ArgumentList =
            {
                "-n", "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", $"--listening-port={port}",
                $"--min-port={relayBase}", $"--max-port={relayBase + 99}",
                "--use-auth-secret", $"--static-auth-secret={SharedSecret}", "--realm=webrtcchat.test",
                "--allow-loopback-peers", "--no-tls", "--no-dtls", "--no-cli", "--fingerprint", "--no-multicast-peers",
                "--log-file=stdout", "--simple-log",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("turnserver did not start (is coturn installed?)");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new TurnServer(process, port);
        for (var i = 0; i < 50 && !process.HasExited; i++)
        {
            using var probe = new UdpClient();
            // coturn answers a STUN binding request once it listens; any reply means ready.
            var request = new byte[20];
            request[1] = 0x01; // Binding Request
            request[4] = 0x21; request[5] = 0x12; request[6] = 0xA4; request[7] = 0x42; // magic cookie
            Random.Shared.NextBytes(request.AsSpan(8, 12));
            await probe.SendAsync(request, "127.0.0.1", port);
            using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            try
            {
                await probe.ReceiveAsync(timeout.Token);
                return server;
            }
            catch (OperationCanceledException)
            {
            }
        }

        await server.DisposeAsync();
        throw new InvalidOperationException("turnserver did not answer on 127.0.0.1:" + port);
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
