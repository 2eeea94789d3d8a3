using System.Collections.Immutable;
using WebRtcChat.Components.Signaling;

namespace WebRtcChat.Components.Lobby;

/// <summary>Where a visitor is.</summary>
public enum VisitorStatus
{
    /// <summary>In the list, waiting to be called.</summary>
    Waiting,

    /// <summary>A host pressed Call; the visitor has not answered yet.</summary>
    Ringing,

    /// <summary>The visitor answered; the browsers are (or are getting) connected.</summary>
    InCall,

    /// <summary>The visitor's page went away; their place is kept for <c>Lobby.ReconnectGrace</c>.</summary>
    Away,
}

/// <summary>What a visitor sends when they press Request chat, plus what the server knows of their connection.</summary>
/// <param name="Name">The name typed, already normalised by <see cref="VisitorNames"/>.</param>
/// <param name="RequestedHost">What was typed in "Who would you like to reach?", or null when that field is not shown.</param>
/// <param name="Address">The client IP address.</param>
/// <param name="UserAgent">The User-Agent header, for the console's browser column.</param>
public sealed record VisitorRequest(string Name, string? RequestedHost, string Address, string? UserAgent)
{
    /// <summary>ISO country code from the GeoIP database, or null when unknown or no database is configured.</summary>
    public string? CountryCode { get; init; }

    /// <summary>Country name from the GeoIP database, when one is configured.</summary>
    public string? Country { get; init; }

    /// <summary>City from the GeoIP database, when it has one.</summary>
    public string? City { get; init; }
}

/// <summary>One visitor as the consoles see them. Immutable: a change makes a new record in a new snapshot.</summary>
public sealed record Visitor(
    string Id,
    string Name,
    string? RequestedHost,
    string? HostName,
    string Address,
    string? Country,
    string? City,
    string Browser,
    DateTimeOffset ArrivedAt,
    VisitorStatus Status,
    string? CallId)
{
    /// <summary>How the visitor's browser can be reached, once its page's check has run.</summary>
    public VisitorReach Reach { get; init; }
}

/// <summary>Where a call is.</summary>
public enum CallPhase
{
    /// <summary>The host called; the visitor's page rings.</summary>
    Ringing,

    /// <summary>The visitor answered; both sides run their peer connection.</summary>
    Answered,
}

/// <summary>A call between one host's console and one visitor.</summary>
public sealed record CallInfo(string Id, string HostName, string HostSessionId, string VisitorId, string VisitorName, CallPhase Phase, DateTimeOffset StartedAt);

/// <summary>An open console, opened through the console path whose key (a hash, not the path) it keeps.</summary>
public sealed record HostSession(string Id, string HostName, string PathKey, DateTimeOffset OpenedAt)
{
    /// <summary>
    /// Whether the console's page said it is visible (its tab shown, the screen on), so it alerts the host by itself.
    /// False until the page says so: a console whose script never ran does not hold alerts back.
    /// </summary>
    public bool Visible { get; init; }
}

/// <summary>One answered call of a host's, as the console lists its recent calls: when, over which path, how it ended.</summary>
public sealed record CallRecord(string CallId, string HostName, string VisitorName, DateTimeOffset AnsweredAt)
{
    /// <summary>When the browsers first connected; null if they never did.</summary>
    public DateTimeOffset? ConnectedAt { get; init; }

    /// <summary>The path the host's browser last reported the call running over (ICE may move it, relayed to direct).</summary>
    public CallPath? Path { get; init; }

    /// <summary>When the call ended; null while it is on.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Why it ended (hung up, could not connect, …).</summary>
    public string? Outcome { get; init; }
}

/// <summary>The whole lobby at one moment. Every change publishes a new one with a higher version.</summary>
/// <param name="Version">Higher for each later snapshot.</param>
/// <param name="Visitors">Everyone listed, in order of arrival.</param>
/// <param name="Calls">The calls on now.</param>
/// <param name="Hosts">The open consoles.</param>
/// <param name="History">Each host's latest answered calls, newest first, a few per host.</param>
public sealed record LobbySnapshot(long Version, ImmutableArray<Visitor> Visitors, ImmutableArray<CallInfo> Calls, ImmutableArray<HostSession> Hosts,
    ImmutableArray<CallRecord> History)
{
    /// <summary>The empty lobby.</summary>
    public static LobbySnapshot Empty { get; } = new(0, [], [], [], []);

    /// <summary>The visitor with this id, if listed.</summary>
    public Visitor? FindVisitor(string id) => Visitors.FirstOrDefault(v => v.Id == id);

    /// <summary>The call with this id, if it is still on.</summary>
    public CallInfo? FindCall(string id) => Calls.FirstOrDefault(c => c.Id == id);
}

/// <summary>A visitor as one console lists them: whether this host may call them is worked out as the configuration is now.</summary>
public sealed record ListedVisitor(Visitor Visitor, bool Permitted);

/// <summary>The answer to Request chat. Past a lobby bound the visitor is told the same, but is not queued.</summary>
/// <param name="VisitorId">The visitor's id while they wait.</param>
/// <param name="ResumeToken">A secret that lets a reloaded page take the same place, or null when not queued.</param>
/// <param name="Queued">False when a bound was reached; the page shows the same waiting view either way.</param>
public sealed record VisitorTicket(string VisitorId, string? ResumeToken, bool Queued);

/// <summary>What the lobby writes into a circuit's inbox: a new snapshot, or a message for the party it is.</summary>
public abstract record LobbyEvent;

/// <summary>The lobby changed; every attached circuit gets each snapshot, in order.</summary>
public sealed record SnapshotChanged(LobbySnapshot Snapshot) : LobbyEvent;

/// <summary>A message for one party of the lobby (a visitor, or one open console).</summary>
public abstract record PartyMessage : LobbyEvent;

/// <summary>A message of one call, for the page that is in it.</summary>
public abstract record CallMessage(string CallId) : PartyMessage;

/// <summary>Signaling from the other party of a call: a validated description or candidate.</summary>
public sealed record SignalMessage(string CallId, SignalPayload Payload) : CallMessage(CallId);

/// <summary>What media the other party of a call could start (for "their camera is off" and similar states).</summary>
/// <param name="CallId">The call.</param>
/// <param name="HasAudio">A microphone is being sent.</param>
/// <param name="HasVideo">A camera is being sent.</param>
/// <param name="Problem">Null, or why media could not start: <c>denied</c> or <c>unavailable</c>.</param>
public sealed record PeerMediaMessage(string CallId, bool HasAudio, bool HasVideo, string? Problem) : CallMessage(CallId);

/// <summary>The console's path or host is no longer in the configuration: it is closed and sees nothing more.</summary>
public sealed record ConsoleClosedMessage : PartyMessage;

/// <summary>The host dismissed this visitor, with the reason they gave (cleaned by <see cref="HostNotes"/>), if any.</summary>
public sealed record DismissedMessage(string? Reason = null) : PartyMessage;

/// <summary>
/// A line from a host to this one visitor ("Back in 5 minutes"), cleaned by <see cref="HostNotes"/>; it replaces the
/// one before on the visitor's page. It names no host: a super administrator may write to a visitor who asked for
/// someone else.
/// </summary>
public sealed record HostNoteMessage(string Text) : PartyMessage;

/// <summary>The call ended, for the reason given (hung up, declined, the other side left).</summary>
/// <param name="CallId">The call.</param>
/// <param name="Reason">Why, in a few words, for the console and the log.</param>
/// <param name="Failure">When the browsers could not connect (or lost the connection for good): why, and on whose side.</param>
public sealed record CallEndedMessage(string CallId, string Reason, CallFailure? Failure = null) : PartyMessage;

/// <summary>Why a Call press did not start a call.</summary>
public enum CallRefusal
{
    /// <summary>The call started.</summary>
    None,

    /// <summary>No such console, or the visitor is not this host's to call.</summary>
    NotYours,

    /// <summary>The visitor's name is not on this host's list.</summary>
    NotPermitted,

    /// <summary>This host is already in a call.</summary>
    Busy,

    /// <summary>The visitor is not waiting (gone, away or already called).</summary>
    NotWaiting,
}

/// <summary>What became of a line a host sent a visitor.</summary>
public enum NoteOutcome
{
    /// <summary>The visitor's page shows it.</summary>
    Sent,

    /// <summary>No such console, or its console does not list the visitor.</summary>
    NotYours,

    /// <summary>Empty, too long, or with characters that cannot be used (see <see cref="HostNotes"/>).</summary>
    Invalid,

    /// <summary>This visitor was sent <see cref="HostNotes.MaxPerWindow"/> lines within the last minute.</summary>
    TooSoon,
}

/// <summary>What became of one signaling message.</summary>
public enum SignalOutcome
{
    /// <summary>Validated and passed to the other party.</summary>
    Delivered,

    /// <summary>The call is not (or no longer) answered, or the sender is not in it: dropped. A hang-up racing a
    /// last ICE candidate ends here, so this is not held against anyone.</summary>
    NotInCall,

    /// <summary>The message itself is malformed or oversized: dropped, and a failed attempt.</summary>
    Invalid,
}
