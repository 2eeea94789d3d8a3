using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Security;
using WebRtcChat.Server.Geo;
using WebRtcChat.Server.ScanGuard;

namespace WebRtcChat.Server.Security;

/// <summary>
/// The request-level defences, right after the client address is known: a client banned behind a trusted proxy
/// (whose connection the proxy, not the client, opened) is cut off; a well-known scanner path bans at once; a client
/// from a country that is not allowed gets the bland 404 for everything, recorded but not struck; and a request whose
/// Host cannot name this server is a strike.
/// </summary>
public sealed class RequestGuardMiddleware(RequestDelegate next, ScanGuard.ScanGuard guard, GeoLocator geo, WebRtcChatSettings settings, IFailedAttemptSink attempts)
{
    /// <summary>Handles one request.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return next(context);
        }

        if (guard.IsBanned(address))
        {
            context.Abort();
            return Task.CompletedTask;
        }

        var path = context.Request.PathBase + context.Request.Path;
        if (ScannerPaths.IsScannerPath(path.Value))
        {
            context.Items[RequestOutcome.Key] = RequestOutcome.ScannerPath;
            attempts.Report(AttemptKinds.ScannerPath, address.ToString(), $"{context.Request.Method} {path}");
            return BlandNotFound.WriteAsync(context);
        }

        if (geo.IsEnabled && !GeoPolicy.IsAllowed(settings.Current.Geoblocking, null, geo.Locate(address), address))
        {
            context.Items[RequestOutcome.Key] = RequestOutcome.Geoblocked;
            attempts.Report(AttemptKinds.Geoblocked, address.ToString(), $"{context.Request.Method} {path}");
            return BlandNotFound.WriteAsync(context);
        }

        if (!HostHeader.IsUsable(context.Request.Host))
        {
            // After the two above: a scanner is banned at once and a traveller never struck, whatever Host they send.
            context.Items[RequestOutcome.Key] = RequestOutcome.BadHost;
            attempts.Report(AttemptKinds.BadRequest, address.ToString(), $"{context.Request.Protocol} {context.Request.Method} {path}: Host {HostHeader.Describe(context.Request.Host)}");
            return BlandNotFound.WriteAsync(context);
        }

        return next(context);
    }
}
