using Microsoft.Extensions.FileProviders;

namespace WebRtcChat.Components.Interop;

/// <summary>The JS modules of <c>wwwroot-js/</c>, embedded in this assembly and served under <see cref="RequestPath"/>.</summary>
public static class JsModuleFiles
{
    /// <summary>Where the modules are served, relative to the path base.</summary>
    public const string RequestPath = "/js";

    /// <summary>The modules, read from this assembly's resources.</summary>
    public static IFileProvider Provider { get; } = new EmbeddedFileProvider(typeof(JsModuleFiles).Assembly, "WebRtcChatJs");
}
