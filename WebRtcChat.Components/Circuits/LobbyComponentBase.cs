using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Lobby;

namespace WebRtcChat.Components.Circuits;

/// <summary>
/// What the visitor's page and the host's console share in following the lobby: one loop reads the circuit's inbox
/// in order and applies each event on the circuit through <c>InvokeAsync</c>, then renders; a call's messages go to
/// the page's <see cref="CallSignals"/>. Nothing renders on a timer: the clocks on the page tick in the browser
/// (<see cref="Interop.ElapsedClock"/>). The loop ends when the component is disposed; a failure in it stays in this circuit.
/// </summary>
#pragma warning disable CA1001 // _stopping is disposed in StopFollowing, which each page's DisposeAsync calls
public abstract class LobbyComponentBase : ComponentBase
#pragma warning restore CA1001
{
    private readonly CancellationTokenSource _stopping = new();
    private bool _following;

    [Inject] public required LobbyService Lobby { get; init; }

    [Inject] public required WebRtcChatSettings Settings { get; init; }

    [Inject] public required TimeProvider Time { get; init; }

    [Inject] public required IJSRuntime JS { get; init; }

    /// <summary>True once the component is being disposed: nothing more is rendered.</summary>
    protected bool IsDisposed { get; private set; }

    /// <summary>The messages of the call this page is in, or null.</summary>
    protected CallSignals? Signals { get; private set; }

    /// <summary>Starts following the lobby: the inbox's loop.</summary>
    protected void Follow()
    {
        if (_following)
        {
            return;
        }

        _following = true;
        Lobby.Attach();
        _ = ReadInboxAsync();
    }

    /// <summary>A new snapshot of the lobby.</summary>
    protected abstract void OnSnapshot(LobbySnapshot snapshot);

    /// <summary>A message for this page's party (a call's own messages go to <see cref="Signals"/>).</summary>
    protected abstract void OnMessage(PartyMessage message);

    /// <summary>This page is in the call from now on: its messages are held for its peer.</summary>
    protected CallSignals JoinCall(string callId) => Signals?.CallId == callId ? Signals : Signals = new CallSignals(callId);

    /// <summary>This page is no longer in a call.</summary>
    protected void LeaveCall() => Signals = null;

    /// <summary>Stops the loop: call from <c>DisposeAsync</c>.</summary>
    protected void StopFollowing()
    {
        if (IsDisposed)
        {
            return;
        }

        IsDisposed = true;
        _stopping.Cancel();
        _stopping.Dispose();
        Lobby.Detach();
    }

    private async Task ReadInboxAsync()
    {
        try
        {
            await foreach (var item in Lobby.Inbox.ReadAllAsync(_stopping.Token))
            {
                await InvokeAsync(() => Apply(item));
            }
        }
        catch (OperationCanceledException)
        {
            // disposed
        }
        catch (Exception e) when (!IsDisposed)
        {
            await DispatchExceptionAsync(e); // as any failure of this page: its circuit ends, no other
        }
    }

    private void Apply(LobbyEvent item)
    {
        if (IsDisposed)
        {
            return;
        }

        switch (item)
        {
            case SnapshotChanged changed:
                OnSnapshot(changed.Snapshot);
                break;
            case CallMessage message:
                Signals?.Add(message);
                return; // the call view renders what it takes
            case PartyMessage message:
                if (message is CallEndedMessage ended)
                {
                    Lobby.CallEnded(ended.CallId);
                    if (Signals?.CallId == ended.CallId)
                    {
                        LeaveCall();
                    }
                }

                OnMessage(message);
                break;
        }

        StateHasChanged();
    }
}
