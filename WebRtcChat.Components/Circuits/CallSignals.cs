using Microsoft.JSInterop;
using WebRtcChat.Components.Lobby;

namespace WebRtcChat.Components.Circuits;

/// <summary>
/// One call's messages for this page: held, in order and bounded, from the moment the page knows it is in the call
/// until its peer connection attaches (the other side's offer may come first), then handed over one at a time.
/// Used on the circuit's own thread only.
/// </summary>
public sealed class CallSignals(string callId)
{
    /// <summary>The most messages held for a peer that has not attached yet.</summary>
    public const int MaxHeld = 1000;

    /// <summary>The most SDP characters held for a peer that has not attached yet.</summary>
    public const int MaxHeldCharacters = 1_000_000;

    private readonly Queue<CallMessage> _held = new();
    private int _heldCharacters;
    private Func<CallMessage, Task>? _receiver;
    private bool _handing;

    /// <summary>The call.</summary>
    public string CallId => callId;

    /// <summary>How many messages wait for the peer.</summary>
    public int HeldCount => _held.Count;

    /// <summary>
    /// Takes a message of this call. Past the bounds it is dropped, so a hostile party cannot make the server hold
    /// its messages for the length of a call.
    /// </summary>
    public void Add(CallMessage message)
    {
        var size = SizeOf(message);
        if (message.CallId != callId || _held.Count >= MaxHeld || _heldCharacters + size > MaxHeldCharacters)
        {
            return;
        }

        _held.Enqueue(message);
        _heldCharacters += size;
        _ = HandOverAsync();
    }

    /// <summary>The peer is ready: what is held goes to it first, then every later message.</summary>
    public void Attach(Func<CallMessage, Task> receiver)
    {
        _receiver = receiver;
        _ = HandOverAsync();
    }

    /// <summary>The peer is gone: messages are held again (within the bounds) and never handed to it.</summary>
    public void Detach() => _receiver = null;

    // One hand-over at a time: a message that arrives while an earlier one is with the page queues behind it.
    private async Task HandOverAsync()
    {
        if (_handing)
        {
            return;
        }

        _handing = true;
        try
        {
            while (_receiver is { } receiver && _held.TryDequeue(out var message))
            {
                _heldCharacters -= SizeOf(message);
                await receiver(message);
            }
        }
        catch (JSDisconnectedException)
        {
            _receiver = null; // the page is gone; the circuit handler ends the call
        }
        finally
        {
            _handing = false;
        }
    }

    private static int SizeOf(CallMessage message) => message is SignalMessage { Payload: Signaling.DescriptionPayload { Sdp: { } sdp } } ? sdp.Length : 0;
}
