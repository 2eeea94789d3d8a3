using Microsoft.Extensions.Http.Resilience;
using Polly;
using WebRtcChat.Components.Alerts;
using WebRtcChat.Server.Alerts;
using WebRtcChat.Server.WebPush;

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

    /// <summary>
    /// The channels alone (the tests use the same), with their HTTP clients in <see cref="AlertHttpClients"/>, made on
    /// the first alert.
    /// </summary>
    public static IServiceCollection AddWebRtcChatAlertChannels(this IServiceCollection services)
    {
        services.AddKeyedSingleton<IHttpClientFactory>(AlertHttpClients.Key,
            (sp, _) => new AlertHttpClients(sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IAlertChannel, NtfyChannel>();
        services.AddSingleton<IAlertChannel, WebhookChannel>();
        services.AddSingleton<IAlertChannel, EmailChannel>();
        return services;
    }

    /// <summary>
    /// The named HTTP clients of the channels, as <see cref="AlertHttpClients"/> builds them: ntfy and the webhook with
    /// retries; Web Push, which never follows a redirect and connects to public addresses only.
    /// </summary>
    internal static IServiceCollection AddAlertHttpClients(this IServiceCollection services)
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

        // Redirects are never followed (a push service answers, it does not send us elsewhere), and only public
        // addresses are connected to. The timeout leaves room for retries a resilience handler may add around it.
        services.AddHttpClient(WebPushChannel.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(40))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(10),
                ConnectCallback = PushServiceConnection.ConnectAsync,
            })
            .RemoveAllLoggers(); // a device's endpoint URL is a secret of its own
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
