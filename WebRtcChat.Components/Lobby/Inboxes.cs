using WebRtcChat.Components.Circuits;

namespace WebRtcChat.Components.Lobby;

/// <summary>
/// Who hears what: the circuits attached to the lobby (each gets every snapshot) and the parties each of them follows
/// (a visitor can have several tabs; a console is one). Everything is written with <see cref="LobbyInbox.Post"/>,
/// which never runs a circuit's code. Not thread-safe: <see cref="Lobby"/> calls it under its lock, so what one
/// change writes reaches every inbox in the order it was written.
/// </summary>
internal sealed class Inboxes
{
    private readonly HashSet<LobbyInbox> _attached = [];
    private readonly Dictionary<string, List<LobbyInbox>> _followers = new(StringComparer.Ordinal);

    public void Attach(LobbyInbox inbox, LobbySnapshot current)
    {
        if (_attached.Add(inbox))
        {
            inbox.Post(new SnapshotChanged(current));
        }
    }

    /// <summary>The circuit is gone: it hears nothing more, as an attached page or as a follower.</summary>
    public void Detach(LobbyInbox inbox)
    {
        _attached.Remove(inbox);
        foreach (var party in _followers.Where(f => f.Value.Contains(inbox)).Select(f => f.Key).ToList())
        {
            Unfollow(party, inbox);
        }
    }

    public void Follow(string party, LobbyInbox inbox)
    {
        var followers = _followers.TryGetValue(party, out var list) ? list : _followers[party] = [];
        if (!followers.Contains(inbox))
        {
            followers.Add(inbox);
        }
    }

    public void Unfollow(string party, LobbyInbox inbox)
    {
        if (_followers.TryGetValue(party, out var followers) && followers.Remove(inbox) && followers.Count == 0)
        {
            _followers.Remove(party);
        }
    }

    /// <summary>The party is no more (left the list, console closed): nobody follows it.</summary>
    public void Forget(string party) => _followers.Remove(party);

    /// <summary>A message for every page following the party.</summary>
    public void ToParty(string party, PartyMessage message)
    {
        foreach (var inbox in _followers.GetValueOrDefault(party, []))
        {
            inbox.Post(message);
        }
    }

    public void ToAll(LobbySnapshot snapshot)
    {
        var changed = new SnapshotChanged(snapshot);
        foreach (var inbox in _attached)
        {
            inbox.Post(changed);
        }
    }
}
