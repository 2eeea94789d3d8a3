using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Hosting;

public sealed partial class SystemdTests
{
    private static readonly string UnitFile = Path.Combine(RepositoryPaths.Root, "contrib", "systemd", "webrtcchat.service");

    [Fact]
    public async Task TheShippedUnitRatesTwoOrLessInSystemdAnalyze()
    {
        var start = new ProcessStartInfo("systemd-analyze") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "security", "--offline=true", "--no-pager", UnitFile })
        {
            start.ArgumentList.Add(argument);
        }

        using var analyze = Process.Start(start)!;
        var output = await analyze.StandardOutput.ReadToEndAsync() + await analyze.StandardError.ReadToEndAsync();
        await analyze.WaitForExitAsync();

        var exposure = OverallExposure().Match(output);
        Assert.True(exposure.Success, output);
        Assert.True(double.Parse(exposure.Groups[1].Value, CultureInfo.InvariantCulture) <= 2.0, output);
    }

    [Fact]
    public async Task UnderAServiceManagerTheServerSaysItIsReadyOnceItListens()
    {
        using var config = TestConfig.Create();
        var socketPath = Path.Combine(config.DirectoryPath, "notify.sock");
        using var manager = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        manager.Bind(new UnixDomainSocketEndPoint(socketPath));

        await using var server = await ServerProcess.StartAsync(config, new Dictionary<string, string> { ["NOTIFY_SOCKET"] = socketPath }, waitUntilReady: false);
        var buffer = new byte[1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var received = await manager.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);

        Assert.Contains("READY=1", Encoding.UTF8.GetString(buffer, 0, received), StringComparison.Ordinal);
        Assert.True(await server.TlsHandshakeSucceedsAsync(IPAddress.Loopback)); // ready means listening
    }

    [Fact]
    public async Task ToTheJournalEachLogLineCarriesItsPriorityAndNoClock()
    {
        using var config = TestConfig.Create();

        await using var server = await ServerProcess.StartAsync(config, new Dictionary<string, string> { ["JOURNAL_STREAM"] = ServerProcess.JournalIsStandardOutput });
        await server.WaitForOutputAsync("Configuration file:", TimeSpan.FromSeconds(10));

        Assert.Contains(server.Output.Split('\n'), line => line.StartsWith("<6>Configuration file: ", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Output.Split('\n'), line => line.Contains(" INF ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ToTheJournalAConfigurationThatCannotBeUsedIsAnErrorOnOneLine()
    {
        using var config = TestConfig.Create(configure: json => json["Server"]!["Port"] = 0);

        await using var server = await ServerProcess.StartAsync(config, new Dictionary<string, string> { ["JOURNAL_STREAM"] = ServerProcess.JournalIsStandardOutput }, waitUntilReady: false);

        Assert.Equal(2, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(server.Output.Split('\n'), line => line.StartsWith("<3>The configuration in ", StringComparison.Ordinal) && line.Contains("Server.Port", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AJournalStreamThatIsNotStandardOutputIsIgnored()
    {
        using var config = TestConfig.Create();

        // Inherited from a service by a shell, say: it names a stream that is not this process's output.
        await using var server = await ServerProcess.StartAsync(config, new Dictionary<string, string> { ["JOURNAL_STREAM"] = "8:12345" });
        await server.WaitForOutputAsync("Configuration file:", TimeSpan.FromSeconds(10));

        Assert.Contains(server.LogLines(), line => line.Contains(" INF Configuration file: ", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"Overall exposure level for webrtcchat\.service: (\d+\.\d+)")]
    private static partial Regex OverallExposure();
}
