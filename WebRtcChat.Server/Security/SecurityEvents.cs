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
    public void Report(string kind, string address, string detail)
    {
        audit.Add(kind, address, locator.Locate(address)?.CountryCode, detail);
        logger.LogInformation("Failed attempt kind={Kind} ip={Address}", kind, address);
        if (!IPAddress.TryParse(address, out var ip))
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
