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
public sealed class ScanGuardLogFile : ILogEventSink
{
    /// <summary>The file's name in the log directory.</summary>
    public const string FileName = "scanguard.log";

    /// <summary>The size past which the file is rotated.</summary>
    public const long MaxBytes = 10_000_000;

    private readonly Lock _gate = new();
    private readonly string _path;
    private readonly ITextFormatter _formatter;
    private readonly long _maxBytes;

    /// <summary>
    /// Creates the file at once, empty if it is new: fail2ban refuses to start a jail whose log file does not exist,
    /// and a file made by hand (as root) could not be written by the service.
    /// </summary>
    public ScanGuardLogFile(string path, ITextFormatter formatter, long maxBytes = MaxBytes)
    {
        _path = path;
        _formatter = formatter;
        _maxBytes = maxBytes;
        lock (_gate)
        {
            Append([]);
        }
    }

    /// <inheritdoc />
    public void Emit(LogEvent logEvent)
    {
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        _formatter.Format(logEvent, text);
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        lock (_gate)
        {
            Append(bytes);
        }
    }

    // Under the lock.
    private void Append(byte[] bytes)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            var current = new FileInfo(_path);
            if (current.Exists && current.Length > 0 && current.Length + bytes.Length > _maxBytes)
            {
                File.Move(_path, _path + ".1", overwrite: true);
            }

            using var stream = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            stream.Write(bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The main log has the same line; a full disk must not stop the guard.
            Serilog.Debugging.SelfLog.WriteLine("scanguard.log: {0}", e.Message);
        }
    }
}
