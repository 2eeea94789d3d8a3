namespace WebRtcChat.Server.Security;

/// <summary>Why the gate answered a request the way it did, kept in <c>HttpContext.Items</c> for logging (and strikes).</summary>
public static class RequestOutcome
{
    /// <summary>The <c>HttpContext.Items</c> key.</summary>
    public const string Key = "WebRtcChat.RequestOutcome";

    /// <summary>The path is not under <c>Server.PathBase</c>.</summary>
    public const string OutsidePathBase = "outside-path-base";

    /// <summary>Under a path base replaced in the last day: a page opened before the change.</summary>
    public const string RetiredPathBase = "retired-path-base";

    /// <summary>No page, file or hub has this path.</summary>
    public const string UnknownPath = "unknown-path";

    /// <summary>A path that could be a console path but is no administrator's.</summary>
    public const string WrongConsolePath = "wrong-console-path";

    /// <summary>A Host header (or HTTP/2 <c>:authority</c>) that is missing or cannot make a URI: no page can render.</summary>
    public const string BadHost = "bad-host";

    /// <summary>Our own code failed; the client got the bland 404 rather than a 500 that would tell a real path.</summary>
    public const string Failed = "failed";

    /// <summary>A well-known scanner path: banned at once.</summary>
    public const string ScannerPath = "scanner-path";

    /// <summary>A client from a country that is not allowed.</summary>
    public const string Geoblocked = "geoblocked";

    /// <summary>A trusted proxy sent no usable X-Forwarded-For: there is no client address to serve.</summary>
    public const string NoClientAddress = "no-client-address";

    /// <summary>An administrator's console; its path must not be logged.</summary>
    public const string Console = "console";
}
