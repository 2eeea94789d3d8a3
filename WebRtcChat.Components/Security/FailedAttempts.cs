namespace WebRtcChat.Components.Security;

/// <summary>The kinds of failed attempt the super administrator sees. Stable strings: they are stored and logged.</summary>
public static class AttemptKinds
{
    /// <summary>A request for a path nothing answers to (or outside the hidden sub-directory).</summary>
    public const string UnknownPath = "unknown-path";

    /// <summary>A request that reached the console page with a path that is no administrator's.</summary>
    public const string WrongConsolePath = "wrong-console-path";

    /// <summary>A well-known scanner path such as <c>/.env</c> or <c>/wp-login.php</c>: banned at once.</summary>
    public const string ScannerPath = "scanner-path";

    /// <summary>Connections from a banned address, closed on accept (counted, not one record each).</summary>
    public const string BannedConnection = "banned-connection";

    /// <summary>A client from a country that is not allowed.</summary>
    public const string Geoblocked = "geoblocked";

    /// <summary>A visitor asked for an administrator nobody is called.</summary>
    public const string UnknownAdministrator = "unknown-administrator";

    /// <summary>A visitor whose name is not on the host's list.</summary>
    public const string NotPermittedName = "not-permitted-name";

    /// <summary>A visitor not queued because a lobby bound was reached.</summary>
    public const string LobbyFull = "lobby-full";

    /// <summary>A signaling message that failed validation, or came from someone not in the call.</summary>
    public const string InvalidSignaling = "invalid-signaling";

    /// <summary>Plain HTTP, or anything not TLS, on the HTTPS port.</summary>
    public const string PlainHttp = "plain-http";

    /// <summary>A TLS handshake that failed.</summary>
    public const string TlsHandshake = "tls-handshake";

    /// <summary>A request Kestrel rejected as malformed (400).</summary>
    public const string BadRequest = "bad-request";

    /// <summary>Every kind, for the filter in the console.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        UnknownPath, WrongConsolePath, ScannerPath, BannedConnection, Geoblocked, UnknownAdministrator, NotPermittedName,
        LobbyFull, InvalidSignaling, PlainHttp, TlsHandshake, BadRequest,
    ];
}

/// <summary>One recorded failed attempt.</summary>
/// <param name="Id">Its number in the record.</param>
/// <param name="At">When (the last time, for counted kinds).</param>
/// <param name="Address">The client IP address.</param>
/// <param name="Country">The country, when a GeoIP database knows it.</param>
/// <param name="Kind">One of <see cref="AttemptKinds"/>.</param>
/// <param name="Detail">The sanitised path, or the name typed, truncated.</param>
/// <param name="Count">How many attempts this record stands for (more than one for banned connections).</param>
public sealed record FailedAttempt(long Id, DateTimeOffset At, string Address, string? Country, string Kind, string Detail, int Count);

/// <summary>One page of failed attempts, newest first, and how many match the filter in all.</summary>
public sealed record FailedAttemptPage(IReadOnlyList<FailedAttempt> Items, int Total);

/// <summary>Where the app reports what went wrong; the server decides what it counts as a strike and records it.</summary>
public interface IFailedAttemptSink
{
    /// <summary>Reports one failed attempt from <paramref name="address"/>.</summary>
    void Report(string kind, string address, string detail);
}

/// <summary>The record of failed attempts, as the super administrator's console reads it.</summary>
public interface IFailedAttemptLog
{
    /// <summary>A page of records, newest first, optionally only of one kind and/or one address.</summary>
    FailedAttemptPage Query(string? kind, string? address, int page, int pageSize);

    /// <summary>Calls <paramref name="onChange"/> after records are added or removed, until disposed.</summary>
    IDisposable Subscribe(Action onChange);
}

/// <summary>Reports to nowhere; for tests and tools that have no server around them.</summary>
public sealed class NoFailedAttemptSink : IFailedAttemptSink
{
    /// <summary>The one instance.</summary>
    public static NoFailedAttemptSink Instance { get; } = new();

    /// <inheritdoc />
    public void Report(string kind, string address, string detail)
    {
    }
}
