using System.Diagnostics;
using System.Net;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Hosting;

public sealed class ReleaseTests
{
    // The x64 release as release.sh builds it (the same publish profile), into the test run's own folder.
    private static string PublishRelease()
    {
        // After the tests' own publish (or waiting for it): two builds of the same projects at once would collide.
        _ = PublishedServer.AssemblyPath;
        var output = Path.Combine(RepositoryPaths.Root, "artifacts", "test-release", "linux-x64");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "publish", Path.Combine(RepositoryPaths.Root, "WebRtcChat.Server", "WebRtcChat.Server.csproj"), "-p:PublishProfile=linux-x64", "-o", output, "--nologo", "-v", "quiet" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var publish = Process.Start(start)!;
        var log = publish.StandardOutput.ReadToEndAsync();
        var errors = publish.StandardError.ReadToEndAsync();
        Assert.True(publish.WaitForExit(TimeSpan.FromMinutes(5)), "dotnet publish took longer than 5 minutes");
        Assert.True(publish.ExitCode == 0, log.Result + errors.Result);
        return output;
    }

    [Fact]
    public async Task TheReleaseIsOneExecutableThatRunsWithoutDotnetAndServesThePagesAndModules()
    {
        var release = PublishRelease();
        Assert.Equal(["appconfig", "webrtcchat"], Directory.EnumerateFileSystemEntries(release).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using var config = TestConfig.Create(pathBase: "/k3x9");
        var executable = Path.Combine(config.DirectoryPath, "webrtcchat");
        File.Copy(Path.Combine(release, "webrtcchat"), executable);
        Assert.True(OperatingSystem.IsWindows() || File.GetUnixFileMode(executable).HasFlag(UnixFileMode.UserExecute));
        var noDotnet = Directory.CreateDirectory(Path.Combine(config.DirectoryPath, "empty-path")).FullName;

        var start = new ProcessStartInfo(executable)
        {
            ArgumentList = { "--config", config.FilePath },
            WorkingDirectory = config.DirectoryPath,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Clear(); // no dotnet on the PATH, no DOTNET_ROOT: nothing of an SDK
        start.Environment["PATH"] = noDotnet;
        start.Environment["HOME"] = config.DirectoryPath;
        using var server = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        server.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        server.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            Assert.True(await Eventually.HoldsAsync(() => { lock (output) { return output.ToString().Contains("WebRtcChat is running.", StringComparison.Ordinal); } }, TimeSpan.FromSeconds(60)), output.ToString());
            using var client = ServerProcess.CreateClient($"https://127.0.0.1:{config.Port}/k3x9/");
            foreach (var path in new[] { "", TestConfig.AliceConsolePath[1..], "js/webrtc-call.js", "js/host-alerts.js", "_framework/blazor.web.js", "_content/WebRtcChat.Components/app.css" })
            {
                Assert.True((await client.GetAsync(path)).StatusCode == HttpStatusCode.OK, path);
            }

            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("nothing-here")).StatusCode);

            // The translations are in the one executable too (satellite assemblies bundled, not beside it).
            using var german = new HttpRequestMessage(HttpMethod.Get, "");
            german.Headers.TryAddWithoutValidation("Accept-Language", "de-DE");
            Assert.Contains("<title>Videochat</title>", await (await client.SendAsync(german)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }
}
