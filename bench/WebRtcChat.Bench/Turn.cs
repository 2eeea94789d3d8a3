using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Bench;

/// <summary>
/// coturn on 127.0.0.1 with a shared secret, as the tests run it: the relay for every call the bench makes, through
/// WebRtcChat or not.
/// </summary>
internal sealed class Turn : IAsyncDisposable
{
    private readonly Process _process;

    private Turn(Process process, TurnSetup setup) => (_process, Setup) = (process, setup);

    public TurnSetup Setup { get; }

    public static async Task<Turn> StartAsync()
    {
        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var relayBase = 42000 + (port % 100) * 100;
        var process = CoturnProcess.Start(new ProcessStartInfo("turnserver"),
        [
            "-n", "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", $"--listening-port={port}", $"--min-port={relayBase}",
            $"--max-port={relayBase + 99}", "--allow-loopback-peers", "--no-tls", "--no-dtls", "--no-cli", "--use-auth-secret",
            $"--static-auth-secret={secret}", "--realm=webrtcchat.bench", "--fingerprint", "--no-multicast-peers", "--log-file=stdout", "--simple-log",
        ]);
        var turn = new Turn(process, new TurnSetup($"turn:127.0.0.1:{port}?transport=udp", secret));
        if (await CoturnProcess.AnswersOnLoopbackAsync(process, port))
        {
            return turn;
        }

        await turn.DisposeAsync();
        throw new InvalidOperationException("turnserver did not answer on 127.0.0.1:" + port);
    }

    /// <summary>TURN REST credentials (RFC draft, as coturn's use-auth-secret takes them), valid for an hour.</summary>
    public (string Username, string Credential) Credentials(string name)
    {
        var username = $"{DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()}:{name}";
#pragma warning disable CA5350 // HMAC-SHA1 is what TURN REST credentials are
        var credential = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(Setup.SharedSecret), Encoding.UTF8.GetBytes(username)));
#pragma warning restore CA5350
        return (username, credential);
    }

    public ValueTask DisposeAsync()
    {
        CoturnProcess.Stop(_process);
        return ValueTask.CompletedTask;
    }
}
