using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Interop;
using WebRtcChat.Components.Security;
using WebRtcChat.Server.Security;

namespace WebRtcChat.Server.WebPush;

/// <summary>
/// Serves a console's manifest and push worker (<see cref="ConsoleAppFiles"/>) at its secret path followed by their
/// names, after the path base and before routing. The console part is matched as the page is, in constant time; any
/// other request, including those names under a wrong path, goes on down the pipeline to the bland 404. The worker
/// carries <c>Service-Worker-Allowed</c> with the console's own URL, so that its scope can be that URL exactly
/// (the default would be the URL with a "/" after it, which is no page).
/// </summary>
public sealed class ConsoleAppFilesMiddleware(RequestDelegate next, WebRtcChatSettings settings)
{
    /// <summary>Handles one request.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var file = path.EndsWith("/" + ConsoleAppFiles.ManifestFile, StringComparison.Ordinal) ? ConsoleAppFiles.ManifestFile
            : path.EndsWith("/" + ConsoleAppFiles.WorkerFile, StringComparison.Ordinal) ? ConsoleAppFiles.WorkerFile
            : null;
        if (file is null || !HttpMethods.IsGet(context.Request.Method))
        {
            return next(context);
        }

        var consolePath = path[..^(file.Length + 1)];
        if (ConsolePaths.Match(settings.Current.Administrators, consolePath) is not { } host)
        {
            return next(context);
        }

        context.Items[RequestOutcome.Key] = RequestOutcome.Console;
        var response = context.Response;
        SecurityHeaders.ApplyConsole(response.Headers);
        if (file == ConsoleAppFiles.WorkerFile)
        {
            response.ContentType = "text/javascript; charset=utf-8";
            response.Headers["Service-Worker-Allowed"] = context.Request.PathBase.Add(consolePath).ToUriComponent();
            return response.WriteAsync(ConsoleAppFiles.WorkerScript);
        }

        response.ContentType = "application/manifest+json; charset=utf-8";
        return response.WriteAsync(ConsoleAppFiles.Manifest(context.Request.PathBase.Value ?? "", consolePath, host.Name));
    }
}
