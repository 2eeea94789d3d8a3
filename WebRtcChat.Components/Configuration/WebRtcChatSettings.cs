namespace WebRtcChat.Components.Configuration;

/// <summary>
/// The configuration in force. It only ever holds a configuration that passed validation, so a bad edit of the
/// file never replaces a good one (the "last known good" holder; see dotnet/runtime#44381 for why
/// <c>IOptionsMonitor</c> alone does not give that).
/// </summary>
public sealed class WebRtcChatSettings(WebRtcChatOptions initial)
{
    private readonly Lock _gate = new();
    private volatile WebRtcChatOptions _current = initial;
    private Action<WebRtcChatOptions>[] _subscribers = [];

    /// <summary>The configuration in force now; an immutable object, safe to keep for the length of one request.</summary>
    public WebRtcChatOptions Current => _current;

    /// <summary>Replaces the configuration with one that has already passed validation, and tells subscribers.</summary>
    public void Apply(WebRtcChatOptions validated)
    {
        Action<WebRtcChatOptions>[] subscribers;
        lock (_gate)
        {
            _current = validated;
            subscribers = _subscribers;
        }

        foreach (var subscriber in subscribers)
        {
            try
            {
                subscriber(validated);
            }
#pragma warning disable CA1031 // One subscriber's failure must not stop the others or the reload.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    /// <summary>Calls <paramref name="onChange"/> after each applied change until the returned handle is disposed.</summary>
    public IDisposable Subscribe(Action<WebRtcChatOptions> onChange)
    {
        lock (_gate)
        {
            _subscribers = [.. _subscribers, onChange];
        }

        return new Subscription(() =>
        {
            lock (_gate)
            {
                _subscribers = [.. _subscribers.Where(s => s != onChange)];
            }
        });
    }

    private sealed class Subscription(Action unsubscribe) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                unsubscribe();
            }
        }
    }
}
