using System.Diagnostics;
using System.Net.Sockets;

namespace WebRtcChat.Tests.Infrastructure;

/// <summary>
/// Starting, awaiting and stopping a <c>turnserver</c> process: shared by the tests' <see cref="TurnServer"/> and the
/// bench's <c>Turn</c> (linked into bench/WebRtcChat.Bench), which differ only in how they configure it.
/// </summary>
internal static class CoturnProcess
{
    /// <summary>Starts coturn with these arguments added to <paramref name="start"/>, its output read and dropped.</summary>
    public static Process Start(ProcessStartInfo start, IEnumerable<string> arguments)
    {
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var process = Process.Start(start) ?? throw new InvalidOperationException("turnserver did not start (is coturn installed?)");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Whether coturn answers a STUN binding request on 127.0.0.1:<paramref name="port"/> within ten seconds.</summary>
    public static async Task<bool> AnswersOnLoopbackAsync(Process process, int port)
    {
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
                return true;
            }
            catch (OperationCanceledException)
            {
            }
        }

        return false;
    }

    /// <summary>Kills coturn if it still runs, and waits for it.</summary>
    public static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }

        process.Dispose();
    }
}
