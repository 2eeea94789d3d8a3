using Microsoft.AspNetCore.Components.Server.Circuits;
using WebRtcChat.Components.Circuits;
using WebRtcChat.Components.Lobby;
using WebRtcChat.Components.Signaling;

namespace WebRtcChat.Server.Hosting;

/// <summary>The lobby: one shared state for the whole server, and a scoped lobby service per circuit.</summary>
public static class LobbyExtensions
{
    /// <summary>Registers the shared lobby and its relay, and the scoped <see cref="LobbyService"/>, which is also the circuit's handler.</summary>
    public static IHostApplicationBuilder AddWebRtcChatLobby(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<Lobby>();
        builder.Services.AddSingleton<SignalRelay>();
        builder.Services.AddScoped<LobbyService>();
        builder.Services.AddScoped<CircuitHandler>(sp => sp.GetRequiredService<LobbyService>());
        return builder;
    }
}
