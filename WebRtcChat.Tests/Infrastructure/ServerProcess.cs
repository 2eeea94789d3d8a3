using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace WebRtcChat.Tests.Infrastructure;

/// <summary>The published server running as a real process on Kestrel, on a test configuration.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private static readonly System.Text.RegularExpressions.Regex LogLine = new(@"^\d\d:\d\d:\d\d (INF|WRN|ERR|FTL) ");
    private readonly ConcurrentQueue<string> _lines = new();

    private ServerProcess(Process process, TestConfig config)
    {
        _process = process;
        Config = config;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { _lines.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { _lines.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>As the value of JOURNAL_STREAM: the server's standard output is the journal, as under systemd.</summary>
    public const string JournalIsStandardOutput = "(standard output)";

    public TestConfig Config { get; }

    public string Output => string.Join('\n', _lines);

    /// <summary>What the server logged to its console (Information and above), without the start-up banner.</summary>
    public IReadOnlyList<string> LogLines() => [.. _lines.Where(l => LogLine.IsMatch(l))];

    public bool HasExited => _process.HasExited;

    /// <summary>The server's process id (for what <c>/proc</c> says of it).</summary>
    public int ProcessId => _process.Id;

    public int ExitCode => _process.ExitCode;

    public string BaseUrl => $"https://{(Config.ListenAddress is "*" ? "127.0.0.1" : Config.ListenAddress)}:{Config.Port}{Config.PathBase}/";

    /// <summary>Starts the server and, unless told otherwise, waits until it prints its banner.</summary>
    public static Task<ServerProcess> StartAsync(TestConfig config, bool waitUntilReady = true, params string[] extraArgs) =>
        StartAsync(config, new Dictionary<string, string>(), waitUntilReady, extraArgs);

    /// <summary>Starts the server with these environment variables set (as a service manager would set them).</summary>
    public static Task<ServerProcess> StartAsync(TestConfig config, IReadOnlyDictionary<string, string> environment, bool waitUntilReady = true, params string[] extraArgs)
    {
        var toJournal = environment.TryGetValue("JOURNAL_STREAM", out var stream) && stream == JournalIsStandardOutput;
        var arguments = new[] { PublishedServer.AssemblyPath, "--config", config.FilePath }.Concat(extraArgs);
        // As systemd does it: JOURNAL_STREAM names the device and inode of the service's standard output.
        var start = toJournal
            ? new ProcessStartInfo("sh") { ArgumentList = { "-c", "JOURNAL_STREAM=0:$(stat -L -c %i /proc/$$/fd/1) exec dotnet \"$@\"", "sh" } }
            : new ProcessStartInfo("dotnet");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return StartAsync(start, config, environment.Where(e => !(toJournal && e.Key == "JOURNAL_STREAM")), waitUntilReady);
    }

    /// <summary>Starts the server inside a network namespace of the lab and waits until it prints its banner.</summary>
    public static Task<ServerProcess> StartInNamespaceAsync(TestConfig config, string ns, IReadOnlyDictionary<string, string>? environment = null) =>
        StartAsync(NetworkLab.InNamespace(ns, "dotnet", [PublishedServer.AssemblyPath, "--config", config.FilePath]), config, environment ?? new Dictionary<string, string>(), waitUntilReady: true);

    private static async Task<ServerProcess> StartAsync(ProcessStartInfo start, TestConfig config, IEnumerable<KeyValuePair<string, string>> environment, bool waitUntilReady)
    {
        start.WorkingDirectory = config.DirectoryPath;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.Environment.Remove("WEBRTCCHAT_CONFIG");
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var server = new ServerProcess(Process.Start(start)!, config);
        if (waitUntilReady)
        {
            try
            {
                await server.WaitForOutputAsync("WebRtcChat is running.", TimeSpan.FromSeconds(60));
            }
            catch
            {
                await server.DisposeAsync(); // never leave a half-started server running
                throw;
            }
        }

        return server;
    }

    /// <summary>Waits until the output contains <paramref name="text"/>; fails with the output so far.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited && !Output.Contains(text, StringComparison.Ordinal))
            {
                await Task.Delay(200);
                if (!Output.Contains(text, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"Server exited ({_process.ExitCode}) before printing \"{text}\":\n{Output}");
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Server did not print \"{text}\" within {timeout}:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Waits for the process to end on its own.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    /// <summary>An HTTP client that trusts the test certificate, optionally from another loopback address.</summary>
    public HttpClient CreateClient(IPAddress? from = null) => CreateClient(BaseUrl, from);

    public static HttpClient CreateClient(string baseUrl, IPAddress? from = null)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromSeconds(30),
        };
        if (from is not null)
        {
            handler.ConnectCallback = async (context, token) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(from, 0));
                await socket.ConnectAsync(context.DnsEndPoint, token);
                return new NetworkStream(socket, ownsSocket: true);
            };
        }

        return new HttpClient(handler) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Does a TLS handshake and returns the certificate the server presented.</summary>
    public async Task<X509Certificate2> GetServerCertificateAsync(SslProtocols protocols = SslProtocols.None)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, Config.Port);
        X509Certificate2? seen = null;
        await using var ssl = new SslStream(tcp.GetStream(), false, (_, certificate, _, _) =>
        {
            seen = certificate is null ? null : new X509Certificate2(certificate);
            return true;
        });
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = protocols,
        });
        return seen ?? throw new InvalidOperationException("no certificate");
    }

    /// <summary>A TCP connection to the server from a chosen loopback address, as another client would make it.</summary>
    public async Task<TcpClient> ConnectAsync(IPAddress? from = null)
    {
        var tcp = new TcpClient(new IPEndPoint(from ?? IPAddress.Loopback, 0));
        await tcp.ConnectAsync(IPAddress.Loopback, Config.Port);
        return tcp;
    }

    /// <summary>
    /// Whether a TLS handshake from <paramref name="from"/> gets anywhere. False when the server closes the
    /// connection without a word, as it does for a banned address.
    /// </summary>
    public async Task<bool> TlsHandshakeSucceedsAsync(IPAddress from)
    {
        try
        {
            using var tcp = await ConnectAsync(from);
            await using var ssl = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is IOException or AuthenticationException or SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Sends raw bytes over plain TCP and returns whatever comes back before the server closes.</summary>
    public async Task<byte[]> SendPlainAsync(string request, IPAddress? from = null)
    {
        using var tcp = await ConnectAsync(from);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var received = new MemoryStream();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException)
        {
            // a reset is as good as a close here
        }

        return received.ToArray();
    }

    /// <summary>Ends the process at once, like kill -9.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
