using Serilog;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Events;
using Serilog.Filters;
using Serilog.Formatting.Display;
using WebRtcChat.Components.Configuration;

namespace WebRtcChat.Server.Logging;

/// <summary>Serilog to the console and to a rolling file in the data directory.</summary>
public static class LoggingExtensions
{
    /// <summary>
    /// The line format of the log files. <c>contrib/fail2ban/filter.d/webrtcchat.conf</c> parses it, so a change
    /// here must go with a change there (the fail2ban filter test catches a mismatch).
    /// </summary>
    public const string FileOutputTemplate = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} {Level:u3} {SourceContext}: {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// Standard output when it goes to the journal: the journal stamps each line itself, and reads the priority from
    /// a <c>&lt;N&gt;</c> prefix (sd-daemon(3)), so <c>journalctl -p warning</c> works.
    /// </summary>
    public const string JournalOutputTemplate = "<{SyslogLevel}>{Message:lj}{ExceptionLine}{NewLine}";

    /// <summary>
    /// Whether standard output goes to the journal: systemd then sets <c>JOURNAL_STREAM</c> to its device and inode
    /// (systemd.exec(5)), which are compared with standard output's, since the variable is inherited by whatever a
    /// service starts. A line of ours written elsewhere (the start-up error) carries the same prefix.
    /// </summary>
    public static bool ToJournal { get; } = IsStandardOutput(Environment.GetEnvironmentVariable("JOURNAL_STREAM"));

    // "device:inode" against /proc/self/fd/1, which reads "socket:[inode]" (or "pipe:[inode]").
    private static bool IsStandardOutput(string? stream)
    {
        if (stream?.Split(':') is not [_, var inode] || inode.Length == 0)
        {
            return false;
        }

        try
        {
            return new FileInfo("/proc/self/fd/1").LinkTarget?.EndsWith($"[{inode}]", StringComparison.Ordinal) == true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Replaces the default providers with Serilog. Framework chatter below Warning is dropped, because
    /// ASP.NET Core's own request logs would print console paths at Information.</summary>
    public static IHostApplicationBuilder AddWebRtcChatLogging(this IHostApplicationBuilder builder, WebRtcChatOptions options)
    {
        var logDirectory = Path.Combine(options.Server.DataDirectory, "logs"); // the data directory exists, private
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .MinimumLevel.Override("System", LogEventLevel.Warning)
            // Polly logs each retry of an alert at Warning; the dispatcher says the outcome once, in its own line.
            .MinimumLevel.Override("Polly", LogEventLevel.Error)
            // Keys are kept in the data directory, which only the service's user can read; the warning adds nothing.
            .MinimumLevel.Override("Microsoft.AspNetCore.DataProtection", LogEventLevel.Error)
            // It warns on every page that it replaced Cache-Control with no-store, which is what we want anyway.
            .MinimumLevel.Override("Microsoft.AspNetCore.Antiforgery", LogEventLevel.Error)
            .Enrich.FromLogContext();
        if (ToJournal)
        {
            configuration = configuration.Enrich.With<SyslogLevelEnricher>(); // only the journal's template reads it
        }

        var logger = configuration
            .WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture,
                outputTemplate: ToJournal ? JournalOutputTemplate : "{Timestamp:HH:mm:ss} {Level:u3} {Message:lj}{NewLine}{Exception}")
            .WriteTo.File(Path.Combine(logDirectory, "webrtcchat-.log"),
                formatProvider: System.Globalization.CultureInfo.InvariantCulture,
                outputTemplate: FileOutputTemplate,
                // 14 days, and at most 31 files of 10 MB, so a flood of requests can fill neither the disk nor the logs
                // past that (it can push out older days, which is what the count limit is for).
                rollingInterval: RollingInterval.Day, retainedFileTimeLimit: TimeSpan.FromDays(14), retainedFileCountLimit: 31, fileSizeLimitBytes: 10_000_000,
                rollOnFileSizeLimit: true, shared: true, flushToDiskInterval: TimeSpan.FromSeconds(1))
            .WriteTo.ScanGuardLog(logDirectory)
            .CreateLogger();
        builder.Logging.ClearProviders();
        builder.Services.AddSerilog(logger, dispose: true);
        return builder;
    }

    /// <summary>ScanGuard's lines, in the log files' format, to <c>logs/scanguard.log</c> (for fail2ban).</summary>
    public static LoggerConfiguration ScanGuardLog(this LoggerSinkConfiguration sinks, string logDirectory, long maxBytes = ScanGuardLogFile.MaxBytes) =>
        sinks.Logger(guard => guard
            .Filter.ByIncludingOnly(Matching.FromSource<ScanGuard.ScanGuard>())
            .WriteTo.Sink(new ScanGuardLogFile(
                Path.Combine(logDirectory, ScanGuardLogFile.FileName),
                new MessageTemplateTextFormatter(FileOutputTemplate, System.Globalization.CultureInfo.InvariantCulture),
                maxBytes)));

    /// <summary>
    /// The syslog priority of an event, for the journal's line prefix, and its exception on the same line (the journal
    /// takes each line as an entry of its own, and one without a prefix as information).
    /// </summary>
    private sealed class SyslogLevelEnricher : ILogEventEnricher
    {
        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
        {
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("ExceptionLine",
                logEvent.Exception is null ? "" : " " + logEvent.Exception.ToString().ReplaceLineEndings(" | ")));
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("SyslogLevel", logEvent.Level switch
            {
                LogEventLevel.Fatal => 2,
                LogEventLevel.Error => 3,
                LogEventLevel.Warning => 4,
                LogEventLevel.Information => 6,
                _ => 7,
            }));
        }
    }
}
