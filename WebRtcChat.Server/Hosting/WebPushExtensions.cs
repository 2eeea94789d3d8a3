using WebRtcChat.Components.Alerts;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Server.WebPush;

namespace WebRtcChat.Server.Hosting;

/// <summary>Web Push: the VAPID key, the hosts' devices, the channel, and the console's manifest and worker.</summary>
public static class WebPushExtensions
{
    /// <summary>
    /// Registers the VAPID key and the device store (both in the data directory), the store as the console's
    /// <see cref="IPushDevices"/>, and <see cref="WebPushChannel"/> as one of the <see cref="IAlertChannel"/>s.
    /// </summary>
    public static IHostApplicationBuilder AddWebRtcChatWebPush(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => VapidKeys.LoadOrCreate(sp.GetRequiredService<WebRtcChatSettings>().Current.Server.DataDirectory));
        builder.Services.AddSingleton(sp => new PushSubscriptionStore(
            sp.GetRequiredService<WebRtcChatSettings>().Current.Server.DataDirectory,
            sp.GetRequiredService<VapidKeys>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<PushSubscriptionStore>>()));
        builder.Services.AddSingleton<IPushDevices>(sp => sp.GetRequiredService<PushSubscriptionStore>());
        builder.Services.AddSingleton<IAlertChannel, WebPushChannel>();
        return builder;
    }

    /// <summary>
    /// Opens the VAPID key and the device store now, so that an unreadable one stops the start naming its file, and
    /// serves each console's manifest and push worker under its secret path.
    /// </summary>
    public static WebApplication UseWebPush(this WebApplication app)
    {
        app.Services.GetRequiredService<PushSubscriptionStore>();
        app.UseMiddleware<ConsoleAppFilesMiddleware>();
        return app;
    }
}
