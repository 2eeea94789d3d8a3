using System.Net;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Server.Configuration;
using WebRtcChat.Server.Tls;

namespace WebRtcChat.Server.Hosting;

/// <summary>
/// What the operator needs at start: the visitor URL, each console URL and the certificate fingerprint.
/// It goes to standard output only, never through the logger, so console paths stay out of the log files.
/// </summary>
public static class StartupBanner
{
    /// <summary>Prints the banner once the server listens.</summary>
    public static WebApplication PrintStartupBanner(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var options = app.Services.GetRequiredService<WebRtcChatSettings>().Current;
            var certificates = app.Services.GetRequiredService<CertificateProvider>();
            Console.Out.Write(Render(options, certificates.Fingerprint, certificates.IsSelfSigned, Dns.GetHostName()));
            Console.Out.Flush();
            var logger = app.Services.GetRequiredService<ILogger<ConfigFileWatcher>>();
            var file = app.Services.GetRequiredService<ConfigFileLoader>().FilePath;
            if (File.Exists(file))
            {
                logger.LogInformation("Configuration file: {File}", file);
            }
            else
            {
                logger.LogWarning("No configuration file at {File}: running on the embedded defaults (create it, or pass --config PATH)", file);
            }
        });
        return app;
    }

    /// <summary>The banner's text.</summary>
    public static string Render(WebRtcChatOptions options, string fingerprint, bool selfSigned, string hostName)
    {
        var server = options.Server;
        var host = server.ListenAddress is "*" or "0.0.0.0" or "::" ? hostName : server.ListenAddress.Contains(':', StringComparison.Ordinal) ? $"[{server.ListenAddress}]" : server.ListenAddress;
        var root = $"https://{host}:{server.Port}{server.PathBase}";
        var lines = new List<string>
        {
            "",
            "WebRtcChat is running.",
            $"  Visitor page:  {root}/",
        };
        foreach (var admin in options.Administrators.Where(_ => server.PrintConsoleUrls))
        {
            lines.Add($"  Console of {admin.Name}{(admin.SuperAdministrator ? " (super administrator)" : "")}:  {root}{admin.ConsolePath}");
        }

        if (!server.PrintConsoleUrls)
        {
            lines.Add("  Console URLs are not printed (Server.PrintConsoleUrls is false).");
        }
        else if (options.Administrators is [{ Generated: true }])
        {
            lines.Add("  (No administrator is configured: this console path was generated and is kept in the data directory.)");
        }

        lines.Add($"  Certificate SHA-256:  {fingerprint}{(selfSigned ? "  (self-signed: check it matches what your browser shows)" : "")}");
        lines.Add("");
        return string.Join(Environment.NewLine, lines) + Environment.NewLine;
    }
}
