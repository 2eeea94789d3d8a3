using WebRtcChat.Components.Security;

namespace WebRtcChat.Server.Security;

/// <summary>
/// Reports every request that ended in the bland 404 as a failed attempt, with its sanitised path. A miss under the
/// framework's own paths inside the hidden directory (<c>_blazor</c>, <c>_framework</c>) is recorded but never a
/// strike: a browser can cause one, e.g. by reconnecting a circuit to a server that restarted in between.
/// </summary>
public sealed class FailedRequestMiddleware(RequestDelegate next, SecurityEvents attempts)
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
            var framework = context.Request.Path.StartsWithSegments("/_blazor", StringComparison.Ordinal)
                || context.Request.Path.StartsWithSegments("/_framework", StringComparison.Ordinal);
            var insideHiddenDirectory = context.Items[RequestOutcome.Key] is not (RequestOutcome.OutsidePathBase or RequestOutcome.RetiredPathBase);
            // HEAD is what link checkers and previews send; the pages answer only GET, but that is no probe.
            var retired = context.Items[RequestOutcome.Key] is RequestOutcome.RetiredPathBase;
            var mayStrike = !(framework && insideHiddenDirectory) && !retired && !HttpMethods.IsHead(context.Request.Method);
            attempts.Record(kind, address.ToString(), $"{context.Request.Method} {rawPath}", mayStrike);
        }
    }
}
