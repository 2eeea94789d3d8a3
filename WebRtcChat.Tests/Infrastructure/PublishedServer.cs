using System.Diagnostics;

namespace WebRtcChat.Tests.Infrastructure;

/// <summary>
/// The server as <c>dotnet publish</c> makes it, built once per test run into <c>artifacts/test-server</c>. Tests that
/// need real Kestrel, real TLS or a real process (exit codes, kill -9) run this, which also proves that the
/// published build carries everything, the JS modules included.
/// </summary>
public static class PublishedServer
{
    private static readonly Lazy<string> Published = new(Publish, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The path of the published <c>WebRtcChat.Server.dll</c>, publishing first if needed.</summary>
    public static string AssemblyPath => Published.Value;

    private static string Publish()
    {
        var output = Path.Combine(RepositoryPaths.Root, "artifacts", "test-server");
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "publish", Path.Combine(RepositoryPaths.Root, "WebRtcChat.Server", "WebRtcChat.Server.csproj"), "-c", configuration, "-o", output, "--nologo", "-v", "quiet" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("dotnet publish took longer than 5 minutes");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed ({process.ExitCode}):\n{stdout.Result}\n{stderr.Result}");
        }

        return Path.Combine(output, "WebRtcChat.Server.dll");
    }
}
