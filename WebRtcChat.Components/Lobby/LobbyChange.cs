namespace WebRtcChat.Components.Lobby;

/// <summary>What one lobby operation did, for <see cref="Lobby"/> to hand out: in this order, under its lock.</summary>
internal sealed class LobbyChange
{
    /// <summary>Messages for parties, in the order they were produced.</summary>
    public List<(string To, PartyMessage Message)> Messages { get; } = [];

    /// <summary>Failed attempts to record once the lock is released.</summary>
    public List<(string Kind, string Address, string Detail)> Attempts { get; } = [];

    /// <summary>Parties that no longer exist: after their last messages, nobody follows them.</summary>
    public List<string> Gone { get; } = [];

    /// <summary>Whether the consoles' view changed, so a new snapshot is due.</summary>
    public bool Changed { get; set; }

    public void Send(string to, PartyMessage message) => Messages.Add((to, message));

    public void Report(string kind, string address, string detail) => Attempts.Add((kind, address, detail));
}
