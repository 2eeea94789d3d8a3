using Microsoft.AspNetCore.DataProtection;
using WebRtcChat.Components.Configuration;

namespace WebRtcChat.Server.Hosting;

/// <summary>Blazor Server with bounded hub messages.</summary>
public static class PageExtensions
{
    /// <summary>
    /// The largest message a browser may send over the circuit. An SDP is bounded to 64 KB of text by the lobby;
    /// JSON escaping of its line breaks and the interop envelope need some room above that, and nothing more.
    /// </summary>
    public const long MaximumReceiveMessageSize = 160 * 1024;

    /// <summary>Registers Razor components with interactive server rendering.</summary>
    public static IHostApplicationBuilder AddWebRtcChatPages(this IHostApplicationBuilder builder, WebRtcChatOptions options)
    {
        builder.Services.AddRazorComponents()
            .AddInteractiveServerComponents(circuit =>
            {
                circuit.DetailedErrors = false;
                // A page whose connection dropped (a lost Wi-Fi, a phone changing networks) keeps its circuit a minute:
                // its call's media goes on meanwhile, and the page reconnects into it. A closed tab says goodbye and
                // is gone at once; the lobby adds its own grace after that.
                circuit.DisconnectedCircuitRetentionPeriod = TimeSpan.FromMinutes(1);
                circuit.DisconnectedCircuitMaxRetained = 200;
                circuit.JSInteropDefaultCallTimeout = TimeSpan.FromSeconds(30);
            })
            .AddHubOptions(hub =>
            {
                hub.MaximumReceiveMessageSize = MaximumReceiveMessageSize;
                hub.EnableDetailedErrors = false;
                hub.MaximumParallelInvocationsPerClient = 1;
            });
        // A neutral cookie name: nothing in a response should say which framework answers.
        builder.Services.AddAntiforgery(antiforgery => antiforgery.Cookie.Name = "wrc-af");
        builder.Services.AddDataProtection()
            .SetApplicationName("WebRtcChat")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(options.Server.DataDirectory, "keys")));

        // Static web assets (blazor.web.js, the RCL's CSS) are found through the build manifest when running from
        // build output in any environment, not only Development; a published build has them in wwwroot instead.
        if (builder is WebApplicationBuilder web)
        {
            web.WebHost.UseStaticWebAssets();
        }

        return builder;
    }
}
