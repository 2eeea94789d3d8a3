using WebRtcChat.Components.Interop;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Hosting;

public sealed class JsModuleFilesTests : IDisposable
{
    private readonly string _source = Path.Combine(Path.GetTempPath(), "webrtcchat-tests", Guid.NewGuid().ToString("N"));

    public JsModuleFilesTests()
    {
        Directory.CreateDirectory(Path.Combine(_source, "node_modules"));
        File.WriteAllText(Path.Combine(_source, "webrtc-call.js"), "// edited while dotnet watch runs");
        File.WriteAllText(Path.Combine(_source, "package.json"), "{}");
        File.WriteAllText(Path.Combine(_source, "node_modules", "x.js"), "");
    }

    public void Dispose() => Directory.Delete(_source, recursive: true);

    private static string Read(Microsoft.Extensions.FileProviders.IFileInfo file)
    {
        using var reader = new StreamReader(file.CreateReadStream());
        return reader.ReadToEnd();
    }

    [Fact]
    public void UnderDotnetWatchAModuleIsReadFromItsSourceSoAnEditShowsWithoutARebuild()
    {
        var provider = JsModuleFiles.Create(watching: true, _source);

        Assert.Equal("// edited while dotnet watch runs", Read(provider.GetFileInfo("/webrtc-call.js")));
        Assert.False(provider.GetFileInfo("/package.json").Exists);      // only the module names, nothing else there
        Assert.False(provider.GetFileInfo("/node_modules/x.js").Exists);
        Assert.False(provider.GetFileInfo("/host-alerts.js").Exists);    // embedded, but not in this source folder
    }

    [Fact]
    public void OtherwiseTheEmbeddedModulesAreServedAsBuilt()
    {
        var provider = JsModuleFiles.Create(watching: false, _source);

        var built = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "wwwroot-js", "webrtc-call.js"));
        Assert.Equal(built, Read(provider.GetFileInfo("/webrtc-call.js")));
        Assert.False(provider.GetFileInfo("/package.json").Exists);
    }
}
