using System.Threading.Channels;
using WebRtcChat.Components.Lobby;

namespace WebRtcChat.Components.Circuits;

/// <summary>
/// One circuit's ordered inbox. The lobby writes into it under its lock and never waits (an unbounded channel, so a
/// write always succeeds at once); the circuit's page reads it in one loop. Order holds by construction: a party's
/// message is written before the snapshot that explains it, and each snapshot after the one before.
/// </summary>
public sealed class LobbyInbox
{
    private readonly Channel<LobbyEvent> _channel = Channel.CreateUnbounded<LobbyEvent>(new UnboundedChannelOptions
    {
        SingleReader = true,
        AllowSynchronousContinuations = false, // the reader's continuation must never run inside the lobby's lock
    });

    /// <summary>Writes an event; false once the inbox is closed (its circuit is gone).</summary>
    public bool Post(LobbyEvent item) => _channel.Writer.TryWrite(item);

    /// <summary>Every event, in order, until the inbox is closed or <paramref name="cancel"/> fires.</summary>
    public IAsyncEnumerable<LobbyEvent> ReadAllAsync(CancellationToken cancel) => _channel.Reader.ReadAllAsync(cancel);

    /// <summary>The next event already written, if any (for tests and for draining).</summary>
    public bool TryRead(out LobbyEvent item) => _channel.Reader.TryRead(out item!);

    /// <summary>Closes the inbox: later writes are dropped, and the reading loop ends.</summary>
    public void Close() => _channel.Writer.TryComplete();
}
