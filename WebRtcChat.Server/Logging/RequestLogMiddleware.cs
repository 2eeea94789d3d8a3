using System.Diagnostics;
using WebRtcChat.Server.Security;

namespace WebRtcChat.Server.Logging;

/// <summary>
/// One log line per request. A console path is replaced by <c>[console]</c> at every level above Debug, so that a
/// log file handed to someone else, or read by fail2ban, never carries a secret path.
/// </summary>
public sealed class RequestLogMiddleware(RequestDelegate next, ILogger<RequestLogMiddleware> logger)
{
    /// <summary>Handles one request.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
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
            if (outcome == RequestOutcome.Console)
            {
                logger.LogInformation("HTTP {Method} [console] {StatusCode} in {Elapsed:0} ms", context.Request.Method, context.Response.StatusCode, elapsed);
                logger.LogDebug("HTTP {Method} console request was for {Path}", context.Request.Method, path);
            }
            else
            {
                logger.Log(routine ? LogLevel.Debug : LogLevel.Information,
                    "HTTP {Method} {Path} {StatusCode} in {Elapsed:0} ms{Outcome}", context.Request.Method,
                    Sanitize(context.Request.PathBase + context.Request.Path), context.Response.StatusCode, elapsed,
                    outcome is null ? "" : " (" + outcome + ")");
            }
        }
    }

    /// <summary>Keeps a logged path to one line of printable text of bounded length.</summary>
    public static string Sanitize(string path)
    {
        var cleaned = new string([.. path.Take(200).Select(c => char.IsControl(c) ? '?' : c)]);
        return path.Length > 200 ? cleaned + "…" : cleaned;
    }
}
