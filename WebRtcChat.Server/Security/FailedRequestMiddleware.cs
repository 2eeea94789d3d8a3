using WebRtcChat.Components.Security;

namespace WebRtcChat.Server.Security;

/// <summary>Reports every request that ended in the bland 404 as a failed attempt, with its sanitised path.</summary>
public sealed class FailedRequestMiddleware(RequestDelegate next, IFailedAttemptSink attempts)
{
    /// <summary>Handles one request.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var rawPath = context.Request.PathBase + context.Request.Path; // before the hidden directory moves it
        await next(context);
        var kind = context.Items[RequestOutcome.Key] switch
        {
            RequestOutcome.WrongConsolePath => AttemptKinds.WrongConsolePath,
            RequestOutcome.UnknownPath or RequestOutcome.OutsidePathBase => AttemptKinds.UnknownPath,
            _ => null,
        };
        if (kind is not null && context.Connection.RemoteIpAddress is { } address)
        {
            attempts.Report(kind, address.ToString(), $"{context.Request.Method} {rawPath}");
        }
    }
}
