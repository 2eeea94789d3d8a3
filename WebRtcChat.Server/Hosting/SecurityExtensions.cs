using WebRtcChat.Components.Security;
using WebRtcChat.Server.Audit;
using WebRtcChat.Server.Geo;
using WebRtcChat.Server.Security;

namespace WebRtcChat.Server.Hosting;

/// <summary>The active defences: client address, scan ban, geoblocking, and the audit of failed attempts.</summary>
public static class SecurityExtensions
{
    /// <summary>Registers the audit, the scan ban, the GeoIP locator, and the sink every failed attempt goes to.</summary>
    public static IHostApplicationBuilder AddWebRtcChatSecurity(this IHostApplicationBuilder builder)
    {
        builder.AddWebRtcChatScanGuard();
        builder.AddWebRtcChatGeo();
        builder.Services.AddSingleton<IClientLocator, GeoClientLocator>();
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddSingleton<RetiredPathBases>();
        builder.Services.AddSingleton<IFailedAttemptLog>(sp => sp.GetRequiredService<AuditLog>());
        builder.Services.AddSingleton<SecurityEvents>();
        builder.Services.AddSingleton<IFailedAttemptSink>(sp => sp.GetRequiredService<SecurityEvents>());
        builder.Services.AddHostedService<BadRequestObserver>();
        return builder;
    }

    /// <summary>
    /// Opens what the server keeps or reads from disk before it listens, so that a missing certificate, a corrupt
    /// GeoIP database or an unwritable data directory is a start-up error naming its key, not a failure later.
    /// </summary>
    public static WebApplication OpenStores(this WebApplication app)
    {
        app.Services.GetRequiredService<Tls.CertificateProvider>();
        app.Services.GetRequiredService<GeoLocator>();
        app.Services.GetRequiredService<ScanGuard.ScanGuard>();
        app.Services.GetRequiredService<AuditLog>();
        app.Services.GetRequiredService<RetiredPathBases>(); // must see every change from the start
        return app;
    }

    /// <summary>The one client address everything else uses (X-Forwarded-For only from trusted proxies).</summary>
    public static IApplicationBuilder UseClientAddress(this IApplicationBuilder app) =>
        app.UseMiddleware<ClientAddressMiddleware>();

    /// <summary>
    /// The request-level defences (banned clients behind a proxy, scanner paths, geoblocking), then the record of
    /// every request that ends in the bland 404.
    /// </summary>
    public static IApplicationBuilder UseActiveDefences(this IApplicationBuilder app) =>
        app.UseMiddleware<RequestGuardMiddleware>().UseMiddleware<FailedRequestMiddleware>();
}
