using System.Diagnostics;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Server.Security;

namespace WebRtcChat.Server.Logging;

/// <summary>
/// One log line per request. The path base and console paths (and near misses of them) are redacted at every level
/// above Debug, so that a log file handed to someone else, or read by fail2ban, never carries a secret path.
/// </summary>
public sealed class RequestLogMiddleware(RequestDelegate next, ILogger<RequestLogMiddleware> logger, WebRtcChatSettings settings, RetiredPathBases retired)
{
    /// <summary>Handles one request.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var rawPath = Sanitize((context.Request.PathBase + context.Request.Path).Value ?? ""); // before the hidden directory moves it
        try
        {
            await next(context);
        }
        finally
        {
            var outcome = context.Items[RequestOutcome.Key] as string;
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var path = context.Request.Path.Value ?? "";
            var routine = path.StartsWith("/_blazor", StringComparison.Ordinal) || path.StartsWith("/_framework", StringComparison.Ordinal);
            var redacted = outcome == RequestOutcome.Console ? "[console]" : SecretRedactor.Redact(rawPath, settings.Current, retired.All);
            logger.Log(routine ? LogLevel.Debug : LogLevel.Information,
                "HTTP {Method} {Path} {StatusCode} in {Elapsed:0} ms{Outcome}", context.Request.Method, redacted,
                context.Response.StatusCode, elapsed, outcome is null ? "" : " (" + outcome + ")");
            logger.LogDebug("HTTP {Method} request was for {Path}", context.Request.Method, rawPath);
        }
    }

    /// <summary>Keeps a logged path to one line of printable text of bounded length.</summary>
    public static string Sanitize(string path)
    {
        var cleaned = new string([.. path.Take(200).Select(c => char.IsControl(c) ? '?' : c)]);
        return path.Length > 200 ? cleaned + "…" : cleaned;
    }
}
