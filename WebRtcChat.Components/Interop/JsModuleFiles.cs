using System.Reflection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace WebRtcChat.Components.Interop;

/// <summary>The JS modules of <c>wwwroot-js/</c>, embedded in this assembly and served under <see cref="RequestPath"/>.</summary>
public static class JsModuleFiles
{
    /// <summary>Where the modules are served, relative to the path base.</summary>
    public const string RequestPath = "/js";

    private const string SourceDirectoryKey = "WebRtcChat.JsSourceDirectory";

    /// <summary>
    /// The modules, read from this assembly's resources; under <c>dotnet watch</c> (which sets <c>DOTNET_WATCH=1</c>)
    /// read from <c>wwwroot-js/</c> itself, so that an edit shows on the next page load without a rebuild.
    /// </summary>
    public static IFileProvider Provider { get; } = Create(
        Environment.GetEnvironmentVariable("DOTNET_WATCH") == "1",
        typeof(JsModuleFiles).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == SourceDirectoryKey)?.Value);

    /// <summary>
    /// The embedded modules, or, when watching and the source directory exists, the same module names read from
    /// there. Nothing else in that directory (package.json, node_modules, tsconfig.json) is ever served.
    /// </summary>
    internal static IFileProvider Create(bool watching, string? sourceDirectory)
    {
        var embedded = new EmbeddedFileProvider(typeof(JsModuleFiles).Assembly, "WebRtcChatJs");
        return watching && sourceDirectory is not null && Directory.Exists(sourceDirectory)
            ? new SameNamesFrom(embedded, new PhysicalFileProvider(Path.GetFullPath(sourceDirectory)))
            : embedded;
    }

    /// <summary>Serves only the names the embedded set has, with the content of the source directory.</summary>
    private sealed class SameNamesFrom(IFileProvider names, PhysicalFileProvider source) : IFileProvider
    {
        public IFileInfo GetFileInfo(string subpath) =>
            names.GetFileInfo(subpath).Exists ? source.GetFileInfo(subpath) : new NotFoundFileInfo(subpath);

        public IDirectoryContents GetDirectoryContents(string subpath) => NotFoundDirectoryContents.Singleton;

        public IChangeToken Watch(string filter) => NullChangeToken.Singleton;
    }
}
