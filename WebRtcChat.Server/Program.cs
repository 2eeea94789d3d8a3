// WebRtcChat: a small self-hosted server that sets up browser-to-browser video calls.
// Copyright (C) WebRtcChat contributors. Licensed under the GNU AGPL, version 3 or later; see LICENSE.
using WebRtcChat.Components;
using WebRtcChat.Server.Configuration;
using WebRtcChat.Server.Hosting;
using WebRtcChat.Server.Logging;

try
{
    // The content root is where the program is, not where it was started from: a published build finds its
    // wwwroot whatever the working directory (which is where a relative --config path is read from).
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    var options = builder.AddWebRtcChatConfiguration();
    builder.AddWebRtcChatLogging(options);
    builder.AddWebRtcChatTls(options);
    builder.AddWebRtcChatPages(options);
    builder.AddWebRtcChatSecurity();
    builder.AddWebRtcChatLobby();

    var app = builder.Build();
    app.UseClientAddress();        // the one client address (trusted proxies); failed requests to the audit
    app.UseWebRtcChatGuard();      // security headers, redacted request log
    app.UseHiddenDirectory();      // Server.PathBase, or the bland 404
    app.UseJsModules();            // wwwroot-js, embedded
    app.UseRouting();
    app.UseConsolePathGate();      // unknown and wrong console paths: the bland 404, before any component
    app.UseAntiforgery();
    app.MapStaticAssets();
    app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null); // ours is stricter
    app.PrintStartupBanner();
    await app.RunAsync();
    return 0;
}
catch (InvalidConfigurationException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}

/// <summary>The entry point, visible to <c>WebApplicationFactory</c> in the tests.</summary>
public partial class Program;
