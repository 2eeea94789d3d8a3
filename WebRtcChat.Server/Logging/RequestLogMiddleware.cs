using System.Diagnostics;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Server.Security;

namespace WebRtcChat.Server.Logging;

/// <summary>
/// One log line per request. The path base and console paths (and near misses of them, in any encoding) are redacted
/// at every level above Debug, so that a log file handed to someone else, or read by fail2ban, never carries a secret
/// path. A method outside the standard ones is logged as <c>OTHER</c>: a method is any token, and a token can be a
/// secret's letters.
/// </summary>
public sealed class RequestLogMiddleware(RequestDelegate next, ILogger<RequestLogMiddleware> logger, WebRtcChatSettings settings, RetiredPathBases retired)
{
    private static readonly HashSet<string> StandardMethods =
        [.. new[] { "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT" }];

    /// <summary>Handles one request.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var rawPath = (context.Request.PathBase + context.Request.Path).Value ?? ""; // before the hidden directory moves it
        var aborted = false;
        try
        {
            await next(context);
        }
        catch
        {
            aborted = true; // thrown after the answer started: Kestrel cuts the connection
            throw;
        }
        finally
        {
            var outcome = aborted ? "aborted" : context.Items[RequestOutcome.Key] as string;
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var path = context.Request.Path.Value ?? "";
            var routine = path.StartsWith("/_blazor", StringComparison.Ordinal) || path.StartsWith("/_framework", StringComparison.Ordinal);
            var redacted = outcome == RequestOutcome.Console ? "[console]" : SafeRedact(rawPath);
            var method = StandardMethods.Contains(context.Request.Method) ? context.Request.Method : "OTHER";
            logger.Log(routine ? LogLevel.Debug : LogLevel.Information,
                "HTTP {Method} {Path} {StatusCode} in {Elapsed:0} ms{Outcome}", method, redacted,
                context.Response.StatusCode, elapsed, outcome is null ? "" : " (" + outcome + ")");
            logger.LogDebug("HTTP {Method} request was for {Path}", Sanitize(context.Request.Method), Sanitize(rawPath));
        }
    }

    // The log line must never fail the request it describes: a path the redactor cannot read is not logged at all.
    private string SafeRedact(string rawPath)
    {
        try
        {
            return SecretRedactor.Redact(rawPath, settings.Current, retired.All);
        }
        catch (ArgumentException e)
        {
            logger.LogWarning("A request path could not be read for the log: {Message}", e.Message);
            return "[unreadable]";
        }
    }

    /// <summary>Keeps a logged text to one line of printable text of at most <paramref name="max"/> characters.</summary>
    public static string Sanitize(string text, int max = 200)
    {
        var cleaned = new string([.. text.Take(max).Select(c => char.IsControl(c) ? '?' : c)]);
        return text.Length > max ? cleaned + "…" : cleaned;
    }
}
