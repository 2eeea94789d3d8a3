using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using WebRtcChat.Components.Configuration;

namespace WebRtcChat.Components.Lobby;

/// <summary>What the visitor's page and the host's console share in following the lobby from a circuit.</summary>
public abstract class LobbyComponentBase : ComponentBase
{
    [Inject] public required LobbyService Lobby { get; init; }

    [Inject] public required WebRtcChatSettings Settings { get; init; }

    [Inject] public required LobbyCircuitHandler Circuit { get; init; }

    [Inject] public required TimeProvider Time { get; init; }

    [Inject] public required IJSRuntime JS { get; init; }

    /// <summary>True once the component is being disposed: nothing more is rendered.</summary>
    protected bool IsDisposed { get; set; }

    /// <summary>
    /// Work that arrives from the lobby on another thread: marshalled onto this circuit, then a render. A failure
    /// stays in this circuit (the lobby's publisher never sees it), and nothing runs after disposal.
    /// </summary>
    protected void Post(Action work) => _ = InvokeAsync(() =>
    {
        if (!IsDisposed)
        {
            work();
            StateHasChanged();
        }
    });
}
