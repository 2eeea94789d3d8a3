using WebRtcChat.Components.Security;
using WebRtcChat.Server.Audit;
using WebRtcChat.Server.Security;

namespace WebRtcChat.Server.Hosting;

/// <summary>The active defences: the client address, the audit of failed attempts.</summary>
public static class SecurityExtensions
{
    /// <summary>Registers the audit and the sink every failed attempt goes to.</summary>
    public static IHostApplicationBuilder AddWebRtcChatSecurity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddSingleton<IFailedAttemptLog>(sp => sp.GetRequiredService<AuditLog>());
        builder.Services.AddSingleton<SecurityEvents>();
        builder.Services.AddSingleton<IFailedAttemptSink>(sp => sp.GetRequiredService<SecurityEvents>());
        builder.Services.AddSingleton<IClientLocator, NoClientLocator>();
        return builder;
    }

    /// <summary>The client address (trusted proxies) first, then the record of requests that end in the bland 404.</summary>
    public static IApplicationBuilder UseClientAddress(this IApplicationBuilder app) =>
        app.UseMiddleware<ClientAddressMiddleware>().UseMiddleware<FailedRequestMiddleware>();

    private sealed class NoClientLocator : IClientLocator
    {
        public ClientLocation? Locate(string address) => null;
    }
}
