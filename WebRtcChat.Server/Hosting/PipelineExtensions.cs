using Microsoft.Extensions.FileProviders;
using WebRtcChat.Components.Interop;
using WebRtcChat.Server.Logging;
using WebRtcChat.Server.Security;

namespace WebRtcChat.Server.Hosting;

/// <summary>The steps of the request pipeline, named as Program.cs reads them.</summary>
public static class PipelineExtensions
{
    /// <summary>
    /// Security headers on every response, one redacted log line per request, and the bland 404 for anything our own
    /// code throws.
    /// </summary>
    public static IApplicationBuilder UseWebRtcChatGuard(this IApplicationBuilder app) =>
        app.UseMiddleware<SecurityHeadersMiddleware>().UseMiddleware<RequestLogMiddleware>().UseMiddleware<LastResortMiddleware>();

    /// <summary>The hidden sub-directory: a path base that follows the configuration file.</summary>
    public static IApplicationBuilder UseHiddenDirectory(this IApplicationBuilder app) =>
        app.UseMiddleware<HiddenDirectoryMiddleware>();

    /// <summary>After routing: unknown paths and wrong console paths end here with the bland 404.</summary>
    public static IApplicationBuilder UseConsolePathGate(this IApplicationBuilder app) =>
        app.UseMiddleware<ConsolePathGateMiddleware>();

    /// <summary>
    /// Serves the JS modules of <c>wwwroot-js/</c>, embedded in the components assembly, at <c>js/</c> under the path
    /// base. Embedding works the same in <c>dotnet run</c>, <c>dotnet watch</c> and a published build, unlike
    /// linking files from outside a project into <c>wwwroot</c>.
    /// </summary>
    public static IApplicationBuilder UseJsModules(this IApplicationBuilder app) =>
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = JsModuleFiles.Provider,
            RequestPath = JsModuleFiles.RequestPath,
            OnPrepareResponse = file => file.Context.Response.Headers.CacheControl = "no-cache",
        });
}
