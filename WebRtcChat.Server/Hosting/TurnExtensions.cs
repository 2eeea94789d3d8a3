using WebRtcChat.Server.Turn;

namespace WebRtcChat.Server.Hosting;

/// <summary>The relay: WebRtcChat mints its credentials per call (see <c>TurnCredentials</c>) and checks it works.</summary>
public static class TurnExtensions
{
    /// <summary>Registers the start-up (and on-change) check of every <c>Ice.TurnServers</c> URL.</summary>
    public static IHostApplicationBuilder AddWebRtcChatTurnCheck(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TurnCheck>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TurnCheck>());
        return builder;
    }
}
