// WebRtcChat: a small self-hosted server that sets up browser-to-browser video calls.
// Copyright (C) WebRtcChat contributors. Licensed under the GNU AGPL, version 3 or later; see LICENSE.
using WebRtcChat.Components;
using WebRtcChat.Server.Configuration;
using WebRtcChat.Server.Hosting;
using WebRtcChat.Server.Logging;
using WebRtcChat.Server.Commands;

if (OperatorCommands.AreIn(args))
{
    return OperatorCommands.Run(args); // check-config, bans, coturn-config: the operator's verbs, no server
}

try
{
    // The content root is where the program is, not where it was started from: a published build finds its
    // wwwroot whatever the working directory (which is where a relative --config path is read from).
    var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    var options = builder.AddWebRtcChatConfiguration();
    builder.AddWebRtcChatLogging(options);
    builder.AddWebRtcChatSystemd();
    builder.AddWebRtcChatTls(options);
    builder.AddWebRtcChatPages(options);
    builder.AddWebRtcChatLanguages();
    builder.AddWebRtcChatSecurity();
    builder.AddWebRtcChatLobby();
    builder.AddWebRtcChatTurnCheck();
    builder.AddWebRtcChatAlerts();
    builder.AddWebRtcChatWebPush();

    var app = builder.Build();
    app.OpenStores();              // certificate, GeoIP database, bans, audit: a bad one stops the start here
    // (Before any of this, Kestrel's connection guard drops banned addresses and non-TLS bytes; see TlsExtensions.)
    app.UseClientAddress();        // the one client address (X-Forwarded-For from trusted proxies only)
    app.UseWebRtcChatGuard();      // security headers, redacted request log, the 404 for our own failures
    app.UseActiveDefences();       // banned clients, scanner paths, geoblocking; failed requests to the audit
    app.UseHiddenDirectory();      // Server.PathBase, or the bland 404
    app.UseJsModules();            // wwwroot-js, embedded
    app.UseWebPush();              // each console's manifest and push worker, under its secret path only
    app.UseRouting();
    app.UseConsolePathGate();      // unknown and wrong console paths: the bland 404, before any component
    app.UseVisitorLanguage();      // the visitor's page and the circuits in the browser's language; the console in English
    app.UseAntiforgery();
    app.MapStaticAssets();
    app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null); // ours is stricter
    app.PrintStartupBanner();
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (e.GetBaseException() is InvalidConfigurationException invalid)
{
    // To the journal as an error (<3>), on one line, so `journalctl -p err` shows why the service did not start.
    await Console.Error.WriteLineAsync(LoggingExtensions.ToJournal ? "<3>" + invalid.Message.ReplaceLineEndings(" ") : invalid.Message);
    return 2;
}

/// <summary>The entry point, visible to <c>WebApplicationFactory</c> in the tests.</summary>
public partial class Program;
