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

    private IDisposable? _snapshots;
    private IDisposable? _messages;
    private ITimer? _ticker;
    private long _appliedVersion = -1;

    /// <summary>True once the component is being disposed: nothing more is rendered.</summary>
    protected bool IsDisposed { get; set; }

    /// <summary>
    /// Follows the lobby as <paramref name="partyId"/>: its messages, every snapshot, and a tick each second for the
    /// clocks on the page. With no party (a visitor not queued) only the tick runs. Replaces any earlier following.
    /// </summary>
    protected void Follow(string? partyId, Action<PartyMessage> onMessage, Action<LobbySnapshot> onSnapshot, Action onTick)
    {
        StopFollowing();
        if (partyId is not null)
        {
            // Messages first: a page told why it left the list before it sees itself gone from it.
            _messages = Lobby.SubscribeParty(partyId, message => Post(() => onMessage(message)));
            // Handed over in order, but work posted from the circuit's own thread runs at once while work from
            // another thread queues: an older snapshot can come to run after a newer one, and is skipped then.
            _snapshots = Lobby.Subscribe(snapshot => Post(() =>
            {
                if (snapshot.Version > _appliedVersion)
                {
                    _appliedVersion = snapshot.Version;
                    onSnapshot(snapshot);
                }
            }));
        }

        _ticker = Time.CreateTimer(_ => Post(onTick), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>Stops following the lobby.</summary>
    protected void StopFollowing()
    {
        _snapshots?.Dispose();
        _messages?.Dispose();
        _ticker?.Dispose();
        (_snapshots, _messages, _ticker) = (null, null, null);
    }

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
