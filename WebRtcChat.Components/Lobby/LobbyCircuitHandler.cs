using Microsoft.AspNetCore.Components.Server.Circuits;

namespace WebRtcChat.Components.Lobby;

/// <summary>
/// Ties a circuit to the lobby party it is (one visitor, or one open console). When the connection has been down
/// for <see cref="CallGrace"/>, the party's call ends so the other side is not left waiting; when the circuit is
/// gone (tab closed, or no reconnect within the retention period), the visitor is marked away or the console closed.
/// </summary>
public sealed class LobbyCircuitHandler(LobbyService lobby, TimeProvider time) : CircuitHandler, IDisposable
{
    /// <summary>How long a lost connection is given before its call is ended.</summary>
    public static readonly TimeSpan CallGrace = TimeSpan.FromSeconds(8);

    private readonly Lock _gate = new();

    /// <summary>This circuit's identity in the lobby: a visitor's place belongs to the circuit that holds it.</summary>
    public string Id { get; } = Guid.NewGuid().ToString("N");
    private string? _visitorId;
    private string? _hostSessionId;
    private bool _closed;
    private ITimer? _downTimer;

    /// <summary>This circuit is the page of this visitor.</summary>
    public void BindVisitor(string visitorId)
    {
        lock (_gate)
        {
            _visitorId = visitorId;
        }
    }

    /// <summary>This circuit's visitor left the lobby of their own accord.</summary>
    public void UnbindVisitor()
    {
        lock (_gate)
        {
            _visitorId = null;
        }
    }

    /// <summary>This circuit is this console.</summary>
    public void BindHost(string sessionId)
    {
        lock (_gate)
        {
            _hostSessionId = sessionId;
        }
    }

    /// <inheritdoc />
    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _downTimer?.Dispose();
            _downTimer = time.CreateTimer(_ => ConnectionLost(), null, CallGrace, Timeout.InfiniteTimeSpan);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _downTimer?.Dispose();
            _downTimer = null;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Gone();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Gone();
    }

    private void ConnectionLost()
    {
        string? visitor, host;
        lock (_gate)
        {
            (visitor, host) = (_visitorId, _hostSessionId);
        }

        if (visitor is not null)
        {
            lobby.EndCallsOf(visitor, "the visitor's connection was lost", Id);
        }

        // A visitor who waits is kept: the page may reconnect. Only the circuit's end marks them away.

        if (host is not null)
        {
            lobby.EndCallsOf(host, "the host's connection was lost");
        }
    }

    private void Gone()
    {
        string? visitor, host;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            _downTimer?.Dispose();
            _downTimer = null;
            (visitor, host) = (_visitorId, _hostSessionId);
        }

        if (visitor is not null)
        {
            lobby.VisitorGone(visitor, Id);
        }

        if (host is not null)
        {
            lobby.CloseConsole(host);
        }
    }
}
