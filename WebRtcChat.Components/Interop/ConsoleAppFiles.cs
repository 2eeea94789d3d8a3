using System.Text.Json;

namespace WebRtcChat.Components.Interop;

/// <summary>
/// The two files a console has under its own secret path, so that nobody who does not know the path learns they
/// exist: its web app manifest (for the home screen; iOS sends Web Push only to such apps) and the push service
/// worker, whose scope is the console's URL itself. The worker's source is <c>wwwroot-js/worker/push-worker.js</c>,
/// embedded apart from the modules of <see cref="JsModuleFiles"/>, which anyone under the path base may fetch.
/// </summary>
public static class ConsoleAppFiles
{
    /// <summary>The manifest's name below a console path.</summary>
    public const string ManifestFile = "manifest.webmanifest";

    /// <summary>The worker's name below a console path.</summary>
    public const string WorkerFile = "push-worker.js";

    /// <summary>The home-screen icons, served to anyone with the other static assets (they say nothing secret).</summary>
    public const string IconPath = "_content/WebRtcChat.Components/icons/";

    private static readonly Lazy<string> Worker = new(() =>
    {
        using var stream = typeof(ConsoleAppFiles).Assembly.GetManifestResourceStream("WebRtcChatWorker." + WorkerFile)
            ?? throw new InvalidOperationException("the push worker is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>The worker's source.</summary>
    public static string WorkerScript => Worker.Value;

    /// <summary>The manifest's URL relative to the base, for the console page's <c>link rel="manifest"</c>.</summary>
    public static string ManifestUrl(string consolePath) => consolePath.TrimStart('/') + "/" + ManifestFile;

    /// <summary>The worker's URL relative to the base.</summary>
    public static string WorkerUrl(string consolePath) => consolePath.TrimStart('/') + "/" + WorkerFile;

    /// <summary>The worker's scope relative to the base: exactly the console's URL.</summary>
    public static string Scope(string consolePath) => consolePath.TrimStart('/');

    /// <summary>
    /// The manifest of the console at <paramref name="pathBase"/> + <paramref name="consolePath"/>: it holds the secret
    /// path (<c>start_url</c>, <c>scope</c>), so it is only ever sent to a request that named that path.
    /// </summary>
    public static string Manifest(string pathBase, string consolePath, string hostName)
    {
        var console = pathBase + consolePath;
        var icons = pathBase + "/" + IconPath;
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["name"] = $"WebRtcChat: {hostName}",
            ["short_name"] = "WebRtcChat",
            ["id"] = console,
            ["start_url"] = console,
            ["scope"] = console,
            ["display"] = "standalone",
            ["background_color"] = "#ffffff",
            ["theme_color"] = "#1d4ed8",
            ["icons"] = new[]
            {
                new Dictionary<string, string> { ["src"] = icons + "icon-192.png", ["sizes"] = "192x192", ["type"] = "image/png" },
                new Dictionary<string, string> { ["src"] = icons + "icon-512.png", ["sizes"] = "512x512", ["type"] = "image/png" },
            },
        });
    }
}
