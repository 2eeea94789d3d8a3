using Microsoft.AspNetCore.Components.Server.Circuits;

namespace WebRtcChat.Components.Circuits;

/// <summary>The circuit's side of <see cref="LobbyService"/>: what happens when its connection drops, and when it ends.</summary>
public sealed partial class LobbyService
{
    /// <summary>How long a lost connection is given before its call is ended.</summary>
    public static readonly TimeSpan CallGrace = TimeSpan.FromSeconds(8);

    private readonly Lock _gate = new();
    private bool _closed;
    private ITimer? _downTimer;
    private volatile TaskCompletionSource _connected = Connected();

    /// <summary>
    /// Completes while the circuit's connection is up, and again once it is back: what goes to the page waits for it,
    /// since a JS call made while it is down is lost (and would only time out, a minute later).
    /// </summary>
    public Task WhenConnected => _connected.Task;

    private static TaskCompletionSource Connected()
    {
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        up.SetResult();
        return up;
    }

    /// <inheritdoc />
    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_connected.Task.IsCompleted && !_closed)
            {
                _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

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
            _connected.TrySetResult();
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
    public void Dispose() => Gone();

    // A visitor who waits is kept: the page may reconnect. Only the circuit's end marks them away.
    private void ConnectionLost()
    {
        if (VisitorId is { } visitor)
        {
            lobby.EndCallsOf(visitor, "the visitor's connection was lost", Inbox);
        }

        if (Console is { } session)
        {
            lobby.EndCallsOf(session.Id, "the host's connection was lost", Inbox);
        }
    }

    private void Gone()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            _downTimer?.Dispose();
            _downTimer = null;
            _connected.TrySetResult(); // nobody waits for a circuit that is gone: what follows fails fast and is caught
        }

        if (VisitorId is { } visitor)
        {
            lobby.VisitorGone(visitor, Inbox);
        }

        if (Console is { } session)
        {
            lobby.CloseConsole(session.Id);
        }

        lobby.Detach(Inbox);
        Inbox.Close();
    }
}
