using Microsoft.Extensions.Http.Resilience;
using Polly;
using WebRtcChat.Components.Alerts;
using WebRtcChat.Server.Alerts;

namespace WebRtcChat.Server.Hosting;

/// <summary>
/// Alerts to hosts who are not watching their console: the dispatcher (a hosted service following the lobby), and the
/// channels it sends through. Every <see cref="IAlertChannel"/> registered is used, so another channel (Web Push)
/// plugs in with one more <c>AddSingleton&lt;IAlertChannel, …&gt;</c>.
/// </summary>
public static class AlertExtensions
{
    /// <summary>Registers the dispatcher, ntfy, the webhook and e-mail, with their HTTP clients and retries.</summary>
    public static IHostApplicationBuilder AddWebRtcChatAlerts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddWebRtcChatAlertChannels();
        builder.Services.AddSingleton<AlertDispatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AlertDispatcher>());
        return builder;
    }

    /// <summary>The channels alone, with their HTTP clients as the server has them (the tests use the same).</summary>
    public static IServiceCollection AddWebRtcChatAlertChannels(this IServiceCollection services)
    {
        foreach (var name in new[] { NtfyChannel.ClientName, WebhookChannel.ClientName })
        {
            services.AddHttpClient(name, client => client.DefaultRequestHeaders.UserAgent.ParseAdd("WebRtcChat"))
                // No redirects: the request goes where the configuration says, or fails saying so.
                .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
                // The client's own log lines hold the URL, and an ntfy topic or a Gotify token is a secret.
                .RemoveAllLoggers()
                .AddStandardResilienceHandler(ConfigureRetries)
                .SelectPipelineByAuthority(); // one receiver's failures never open the circuit for another's
        }

        services.AddSingleton<IAlertChannel, NtfyChannel>();
        services.AddSingleton<IAlertChannel, WebhookChannel>();
        services.AddSingleton<IAlertChannel, EmailChannel>();
        return services;
    }

    /// <summary>Three retries of a 5xx, 408, 429 or timeout, 1, 2 and 4 s apart (with jitter, or as Retry-After says); 10 s an attempt, 40 s in all.</summary>
    internal static void ConfigureRetries(HttpStandardResilienceOptions options)
    {
        options.Retry.MaxRetryAttempts = 3;
        options.Retry.Delay = TimeSpan.FromSeconds(1);
        options.Retry.BackoffType = DelayBackoffType.Exponential;
        options.Retry.UseJitter = true;
        options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(10);
        options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(40);
    }
}
