using System.Text;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace WebRtcChat.Server.Logging;

/// <summary>
/// ScanGuard's lines, also written to <c>logs/scanguard.log</c>: one file under one name for fail2ban, which
/// watches only the files that exist when it starts (a dated log would leave it blind from the next day on). Past
/// <see cref="MaxBytes"/> the file is renamed to <c>scanguard.log.1</c>, replacing the one before, and a new one is
/// started: the rotation fail2ban follows, as it follows logrotate's. Lines are few (a strike or a ban each).
/// </summary>
public sealed class ScanGuardLogFile(string path, ITextFormatter formatter, long maxBytes = ScanGuardLogFile.MaxBytes) : ILogEventSink
{
    /// <summary>The file's name in the log directory.</summary>
    public const string FileName = "scanguard.log";

    /// <summary>The size past which the file is rotated.</summary>
    public const long MaxBytes = 10_000_000;

    private readonly Lock _gate = new();

    /// <inheritdoc />
    public void Emit(LogEvent logEvent)
    {
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        formatter.Format(logEvent, text);
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        lock (_gate)
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                var current = new FileInfo(path);
                if (current.Exists && current.Length + bytes.Length > maxBytes)
                {
                    File.Move(path, path + ".1", overwrite: true);
                }

                using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
                stream.Write(bytes);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The main log has the same line; a full disk must not stop the guard.
                Serilog.Debugging.SelfLog.WriteLine("scanguard.log: {0}", e.Message);
            }
        }
    }
}
