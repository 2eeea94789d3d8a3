using System.Net;
using WebRtcChat.Components.Security;
using WebRtcChat.Server.Audit;

namespace WebRtcChat.Server.Security;

/// <summary>
/// The one place failed attempts go. Each is recorded in the audit (with the country, when known) and logged by kind
/// and address (names and paths stay in the audit, out of the log). The kinds that only a prober produces are
/// strikes; a scanner path bans at once. Geoblocked visitors, names not on a list, unknown hosts and full lobbies
/// are recorded but never strikes, so that a traveller or a typo is not banned.
/// </summary>
public sealed class SecurityEvents(AuditLog audit, IClientLocator locator, ScanGuard.ScanGuard guard, ILogger<SecurityEvents> logger) : IFailedAttemptSink
{
    private static readonly HashSet<string> Strikes =
    [
        AttemptKinds.UnknownPath, AttemptKinds.WrongConsolePath, AttemptKinds.InvalidSignaling,
        AttemptKinds.PlainHttp, AttemptKinds.TlsHandshake, AttemptKinds.BadRequest,
    ];

    /// <inheritdoc />
    public void Report(string kind, string address, string detail) => Record(kind, address, detail, mayStrike: true);

    /// <summary>
    /// Records a failed attempt; with <paramref name="mayStrike"/> false it is never a strike, whatever its kind
    /// (for misses under the framework's own paths, which a browser may cause after a server restart).
    /// </summary>
    public void Record(string kind, string address, string detail, bool mayStrike)
    {
        try
        {
            // What is never a strike is never stopped by a ban either: its repeats count up one record a minute.
            audit.Add(kind, address, locator.Locate(address)?.CountryCode, detail, coalesce: !mayStrike);
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException)
        {
            // A full disk must not turn a 404 into a 500; the strike below still counts.
            logger.LogError("Could not record a failed attempt in the audit: {Message}", e.Message);
        }

        logger.LogInformation("Failed attempt kind={Kind} ip={Address}", kind, address);
        if (!mayStrike || !IPAddress.TryParse(address, out var ip))
        {
            return;
        }

        if (kind == AttemptKinds.ScannerPath)
        {
            guard.BanNow(ip, kind);
        }
        else if (Strikes.Contains(kind))
        {
            guard.Strike(ip, kind);
        }
    }
}
