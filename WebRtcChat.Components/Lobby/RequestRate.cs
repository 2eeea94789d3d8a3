namespace WebRtcChat.Components.Lobby;

/// <summary>
/// How many chat requests each client made lately (or how many lines each visitor was sent): at most <c>limit</c>
/// within a sliding <c>window</c>. It keeps at most <see cref="MaxClients"/> clients; past that, clients with nothing
/// in the window go first, then the one whose last request is the oldest. Not thread-safe: the lobby calls it under
/// its lock.
/// </summary>
internal sealed class RequestRate
{
    /// <summary>The most clients remembered at once.</summary>
    public const int MaxClients = 10_000;

    private readonly Dictionary<string, Queue<DateTimeOffset>> _requests = new(StringComparer.Ordinal);

    /// <summary>Counts a request and returns true, or returns false (counting nothing) when the client is at its limit.</summary>
    public bool TryCount(string client, int limit, TimeSpan window, DateTimeOffset now)
    {
        if (!_requests.TryGetValue(client, out var times))
        {
            if (_requests.Count >= MaxClients)
            {
                Forget(window, now);
            }

            _requests[client] = times = new Queue<DateTimeOffset>();
        }

        while (times.Count > 0 && now - times.Peek() >= window)
        {
            times.Dequeue();
        }

        // A limit lowered by a reload applies at once; what is kept never exceeds the limit in force.
        while (times.Count > limit)
        {
            times.Dequeue();
        }

        if (times.Count >= limit)
        {
            return false;
        }

        times.Enqueue(now);
        return true;
    }

    /// <summary>How many clients are remembered.</summary>
    public int Count => _requests.Count;

    /// <summary>The client is no more (a visitor left the list): nothing of it is kept.</summary>
    public void Remove(string client) => _requests.Remove(client);

    private void Forget(TimeSpan window, DateTimeOffset now)
    {
        foreach (var (client, times) in _requests)
        {
            if (times.Count == 0 || now - times.Last() >= window)
            {
                _requests.Remove(client); // removing while enumerating a Dictionary is allowed
            }
        }

        if (_requests.Count >= MaxClients)
        {
            var oldest = _requests.MinBy(entry => entry.Value.Last()).Key;
            _requests.Remove(oldest);
        }
    }
}
