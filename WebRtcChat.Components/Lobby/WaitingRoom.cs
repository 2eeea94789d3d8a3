using WebRtcChat.Components.Circuits;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Security;

namespace WebRtcChat.Components.Lobby;

/// <summary>
/// The visitors in the list, in order of arrival, with what keeps each place: its resume tokens, the circuit that
/// holds it (by its inbox), and when an away visitor's grace runs out. Not thread-safe: <see cref="Lobby"/> calls it
/// under its lock.
/// </summary>
internal sealed class WaitingRoom
{
    private readonly OrderedDictionary<string, Visitor> _visitors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _resumeTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _awayUntil = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LobbyInbox> _owners = new(StringComparer.Ordinal);
    private readonly RequestRate _requestRate = new();

    public IEnumerable<Visitor> Visitors => _visitors.Values;

    public Visitor? Find(string id) => _visitors.GetValueOrDefault(id);

    /// <summary>
    /// Lists the visitor unless a bound is reached: the lobby's size, the visitors waiting from one client, or the
    /// requests one client made within <c>Lobby.RequestWindow</c>. Returns the resume token, or null when not listed.
    /// </summary>
    public string? TryAdd(Visitor visitor, LobbyInbox owner, LobbyOptions bounds, DateTimeOffset now, Func<string> newToken)
    {
        var client = ClientKeys.Of(visitor.Address);
        if (_visitors.Count >= bounds.MaxWaiting
            || _visitors.Values.Count(v => ClientKeys.Of(v.Address) == client) >= bounds.MaxWaitingPerAddress
            || !_requestRate.TryCount(client, bounds.MaxRequestsPerAddress, bounds.RequestWindow, now))
        {
            return null;
        }

        _visitors[visitor.Id] = visitor;
        _owners[visitor.Id] = owner;
        var token = newToken();
        _resumeTokens[token] = visitor.Id;
        return token;
    }

    /// <summary>The place a resume token keeps, or null.</summary>
    public Visitor? ByToken(string token) =>
        _resumeTokens.TryGetValue(token, out var id) ? _visitors.GetValueOrDefault(id) : null;

    public void Update(Visitor visitor) => _visitors[visitor.Id] = visitor;

    /// <summary>The circuit whose page holds the place.</summary>
    public LobbyInbox? OwnerOf(string id) => _owners.GetValueOrDefault(id);

    public void GiveTo(string id, LobbyInbox owner) => _owners[id] = owner;

    /// <summary>The page went: the place is kept until <paramref name="until"/>.</summary>
    public void MarkAway(string id, DateTimeOffset until)
    {
        if (_visitors.TryGetValue(id, out var visitor))
        {
            _visitors[id] = visitor with { Status = VisitorStatus.Away };
            _awayUntil[id] = until;
        }
    }

    /// <summary>A page took the place back: an away visitor waits again. True when the visitor's status changed.</summary>
    public bool Return(string id)
    {
        _awayUntil.Remove(id);
        if (_visitors.TryGetValue(id, out var visitor) && visitor.Status == VisitorStatus.Away)
        {
            _visitors[id] = visitor with { Status = VisitorStatus.Waiting };
            return true;
        }

        return false;
    }

    /// <summary>The away visitors whose grace has run out.</summary>
    public IReadOnlyList<string> ExpiredAway(DateTimeOffset now) => [.. _awayUntil.Where(a => a.Value <= now).Select(a => a.Key)];

    /// <summary>Takes the visitor out of the list with everything that kept their place.</summary>
    public Visitor? Remove(string id)
    {
        if (!_visitors.Remove(id, out var visitor))
        {
            return null;
        }

        _awayUntil.Remove(id);
        _owners.Remove(id);
        foreach (var token in _resumeTokens.Where(t => t.Value == id).Select(t => t.Key).ToList())
        {
            _resumeTokens.Remove(token);
        }

        return visitor;
    }
}
