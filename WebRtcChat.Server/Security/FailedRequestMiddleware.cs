using WebRtcChat.Components.Security;

namespace WebRtcChat.Server.Security;

/// <summary>
/// Reports every request that ended in the bland 404 as a failed attempt, with its sanitised path. What a real
/// browser can cause is recorded but never a strike: a miss under the framework's paths or our modules inside the
/// hidden directory (a page from before a restart or an upgrade), a tab or home-screen icon, a HEAD request, and
/// anything under a path base replaced in the last day.
/// </summary>
public sealed class FailedRequestMiddleware(RequestDelegate next, SecurityEvents attempts, RetiredPathBases retiredBases)
{
    /// <summary>Handles one request.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var rawPath = context.Request.PathBase + context.Request.Path; // before the hidden directory moves it
        // Recorded as the answer starts, not after it: by the time a prober reads its 404, the record is on disk.
        context.Response.OnStarting(() =>
        {
            Record(context, rawPath);
            return Task.CompletedTask;
        });
        return next(context);
    }

    // What browsers ask for by themselves: a tab icon (Chrome asks even on a plain-text 404), a home-screen icon,
    // the DevTools workspace file.
    private static bool IsBrowserNoise(PathString rawPath)
    {
        var last = rawPath.Value?[(rawPath.Value.LastIndexOf('/') + 1)..] ?? "";
        return last.Equals("favicon.ico", StringComparison.OrdinalIgnoreCase)
            || last.StartsWith("apple-touch-icon", StringComparison.OrdinalIgnoreCase)
            || rawPath.Value?.EndsWith("/.well-known/appspecific/com.chrome.devtools.json", StringComparison.Ordinal) == true; // Chrome with DevTools open
    }

    private void Record(HttpContext context, PathString rawPath)
    {
        var kind = context.Items[RequestOutcome.Key] switch
        {
            RequestOutcome.WrongConsolePath => AttemptKinds.WrongConsolePath,
            RequestOutcome.UnknownPath or RequestOutcome.OutsidePathBase or RequestOutcome.RetiredPathBase => AttemptKinds.UnknownPath,
            _ => null,
        };
        if (kind is not null && context.Connection.RemoteIpAddress is { } address)
        {
            var insideHiddenDirectory = context.Items[RequestOutcome.Key] is not (RequestOutcome.OutsidePathBase or RequestOutcome.RetiredPathBase);
            // Also a longer old base inside the new one ("/a/b" replaced by "/a"): its requests land inside.
            var retired = context.Items[RequestOutcome.Key] is RequestOutcome.RetiredPathBase || retiredBases.Contains(rawPath);
            var mayStrike = !retired && !HttpMethods.IsHead(context.Request.Method) && !IsBrowserNoise(rawPath)
                && !(insideHiddenDirectory && OwnPaths.Contain(context.Request.Path)); // a page from before a restart or an upgrade
            attempts.Record(kind, address.ToString(), $"{context.Request.Method} {rawPath}", mayStrike);
        }
    }
}
