namespace WebRtcChat.Server.Security;

/// <summary>
/// An exception that escapes our own code gets the bland 404, not Kestrel's empty 500 without security headers: a
/// 500 only on paths that exist would tell a prober which ones do. The error is logged in full for the operator; it is
/// not a strike, since the fault is ours.
/// </summary>
public sealed class LastResortMiddleware(RequestDelegate next, ILogger<LastResortMiddleware> logger)
{
    /// <summary>Handles one request.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            logger.LogError(e, "A request failed in the server's own code and was answered with the 404; please report this");
            context.Items[RequestOutcome.Key] = RequestOutcome.Failed;
            await BlandNotFound.WriteAsync(context);
        }
    }
}
