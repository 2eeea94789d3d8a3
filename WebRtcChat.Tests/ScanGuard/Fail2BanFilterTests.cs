using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Serilog;
using Serilog.Extensions.Logging;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Server.Logging;
using WebRtcChat.Tests.Infrastructure;
using ScanGuardService = WebRtcChat.Server.ScanGuard.ScanGuard;

namespace WebRtcChat.Tests.ScanGuard;

/// <summary>
/// The fail2ban filter in <c>contrib/</c> against lines written by the real ScanGuard through a Serilog file sink with
/// the server's own template, checked by fail2ban's own <c>fail2ban-regex</c> (test.sh installs it).
/// </summary>
public sealed partial class Fail2BanFilterTests : IDisposable
{
    private const string FailRegexBinary = "/usr/bin/fail2ban-regex";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "webrtcchat-tests", Guid.NewGuid().ToString("N"));

    private static string FilterFile => Path.Combine(RepositoryPaths.Root, "contrib", "fail2ban", "filter.d", "webrtcchat.conf");

    [Fact]
    public async Task TheFilterMatchesEveryStrikeLineAndTheBanModeEveryBanLine()
    {
        var logFile = WriteGuardLog(guard =>
        {
            guard.Strike(IPAddress.Parse("127.0.0.2"), "unknown-path");
            guard.Strike(IPAddress.Parse("2001:db8::1"), "wrong-console-path");
            guard.Strike(IPAddress.Parse("127.0.0.2"), "unknown-path");
            guard.Strike(IPAddress.Parse("127.0.0.2").MapToIPv6(), "unknown-path"); // third strike: bans
            guard.BanNow(IPAddress.Parse("192.0.2.7"), "scanner-path");
        });
        var text = await File.ReadAllTextAsync(logFile);
        Assert.Equal(4, Regex.Count(text, " WRN WebRtcChat.Server.ScanGuard.ScanGuard: ScanGuard strike ip="));
        Assert.Equal(2, Regex.Count(text, " WRN WebRtcChat.Server.ScanGuard.ScanGuard: ScanGuard ban ip="));
        Assert.Contains("ScanGuard strike ip=127.0.0.2 reason=unknown-path count=3/3", text, StringComparison.Ordinal);

        var strikes = await RunFailRegexAsync(logFile, FilterFile);
        var bans = await RunFailRegexAsync(logFile, FilterFile + "[mode=ban]");
        var both = await RunFailRegexAsync(logFile, FilterFile + "[mode=aggressive]");

        Assert.Equal((6, 4), strikes.Counts);
        Assert.Equal((6, 2), bans.Counts);
        Assert.Equal((6, 6), both.Counts);
        // The address fail2ban would ban is the one after ip=, IPv6 included, and the mapped form logged as IPv4.
        Assert.Equal(["127.0.0.2", "2001:db8::1", "127.0.0.2", "127.0.0.2"], strikes.Hosts);
        Assert.Equal(["127.0.0.2", "192.0.2.7"], bans.Hosts);
    }

    [Fact]
    public async Task ThePastFileIsRenamedAsLogrotateWouldSoTheJailsFollowIt()
    {
        var logFile = WriteGuardLog(guard =>
        {
            for (var i = 1; i <= 5; i++)
            {
                guard.BanNow(IPAddress.Parse($"192.0.2.{i}"), "scanner-path");
            }
        }, maxBytes: 400); // about two lines a file

        var current = await File.ReadAllTextAsync(logFile);
        var previous = await File.ReadAllTextAsync(logFile + ".1");
        Assert.Contains("ip=192.0.2.5 ", current, StringComparison.Ordinal);
        Assert.Contains("ip=192.0.2.3 ", previous + current, StringComparison.Ordinal);
        Assert.True(new FileInfo(logFile).Length <= 400);
        Assert.Equal(["scanguard.log", "scanguard.log.1"], Directory.GetFiles(_directory).Select(Path.GetFileName).Order()); // one old file kept, no more
        Assert.Equal((Regex.Count(current, "\n"), Regex.Count(current, "\n")), (await RunFailRegexAsync(logFile, FilterFile + "[mode=ban]")).Counts);
    }

    [Fact]
    public void TheFileExistsFromTheStartSoFail2BanCanStartItsJailsBeforeAnyStrike()
    {
        var logDirectory = Path.Combine(_directory, "logs");

        using (new LoggerConfiguration().WriteTo.ScanGuardLog(logDirectory).CreateLogger())
        {
            Assert.Equal(0, new FileInfo(Path.Combine(logDirectory, ScanGuardLogFile.FileName)).Length);
        }
    }

    [Fact]
    public async Task TheFilterMatchesNoOtherLineOfTheLog()
    {
        var logFile = Path.Combine(_directory, "other.log");
        Directory.CreateDirectory(_directory);
        var now = DateTimeOffset.Now.ToString("yyyy-MM-dd HH:mm:ss.fff zzz", CultureInfo.InvariantCulture);
        await File.WriteAllLinesAsync(logFile,
        [
            $"{now} INF WebRtcChat.Server.Logging.RequestLogMiddleware: HTTP GET /ScanGuard strike ip=198.51.100.1 reason=x count=1/3 404 in 1 ms (unknown-path)",
            $"{now} INF WebRtcChat.Components.Lobby.Lobby: Visitor \"ScanGuard strike ip=198.51.100.2 reason=x count=1/3\" is waiting",
            $"{now} WRN WebRtcChat.Server.Configuration.PendingFeatures: Not yet in force: ScanGuard.Enabled is true",
        ]);

        Assert.Equal((3, 0), (await RunFailRegexAsync(logFile, FilterFile + "[mode=aggressive]")).Counts);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean up.
        }
    }

    private string WriteGuardLog(Action<ScanGuardService> act, long maxBytes = ScanGuardLogFile.MaxBytes)
    {
        var logFile = Path.Combine(_directory, ScanGuardLogFile.FileName);
        using (var serilog = new LoggerConfiguration()
            .WriteTo.ScanGuardLog(_directory, maxBytes) // the server's own sink for the file the jails read
            .CreateLogger())
        using (var factory = new SerilogLoggerFactory(serilog))
        using (var fixture = new ScanGuardFixture(new ScanGuardOptions { Strikes = 3 }, new Microsoft.Extensions.Logging.Logger<ScanGuardService>(factory)))
        {
            act(fixture.Guard);
        }

        return logFile;
    }

    private static async Task<FailRegexResult> RunFailRegexAsync(string logFile, string filter)
    {
        var text = await RunAsync(logFile, filter);
        var lines = LinesSummary().Match(text);
        Assert.True(lines.Success, "No \"Lines:\" summary in:\n" + text);
        var hosts = await RunAsync("-o", "ip", logFile, filter); // one matched address a line
        return new FailRegexResult(
            (int.Parse(lines.Groups["lines"].Value, CultureInfo.InvariantCulture), int.Parse(lines.Groups["matched"].Value, CultureInfo.InvariantCulture)),
            hosts.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private static async Task<string> RunAsync(params string[] arguments)
    {
        Assert.True(File.Exists(FailRegexBinary), $"{FailRegexBinary} is missing: install fail2ban (test.sh does).");
        var start = new ProcessStartInfo(FailRegexBinary, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        var text = await output + await error;
        Assert.True(process.ExitCode == 0, $"fail2ban-regex exited with {process.ExitCode}:\n{text}");
        return text;
    }

    [GeneratedRegex(@"Lines: (?<lines>\d+) lines, \d+ ignored, (?<matched>\d+) matched")]
    private static partial Regex LinesSummary();

    private sealed record FailRegexResult((int Lines, int Matched) Counts, string[] Hosts);
}
