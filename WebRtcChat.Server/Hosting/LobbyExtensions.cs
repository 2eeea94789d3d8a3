using Microsoft.AspNetCore.Components.Server.Circuits;
using WebRtcChat.Components.Lobby;

namespace WebRtcChat.Server.Hosting;

/// <summary>The lobby: one singleton for the whole server, and a circuit handler per circuit.</summary>
public static class LobbyExtensions
{
    /// <summary>Registers the lobby service and ties circuits to it.</summary>
    public static IHostApplicationBuilder AddWebRtcChatLobby(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LobbyService>();
        builder.Services.AddScoped<LobbyCircuitHandler>();
        builder.Services.AddScoped<CircuitHandler>(sp => sp.GetRequiredService<LobbyCircuitHandler>());
        return builder;
    }
}
