using WebRtcChat.Components.Security;
using WebRtcChat.Server.Audit;

namespace WebRtcChat.Server.Security;

/// <summary>
/// The one place failed attempts go: each is recorded in the audit (with the country, when known) and logged by
/// kind and address (names and paths stay in the audit, out of the log).
/// </summary>
public sealed class SecurityEvents(AuditLog audit, IClientLocator locator, ILogger<SecurityEvents> logger) : IFailedAttemptSink
{
    /// <inheritdoc />
    public void Report(string kind, string address, string detail)
    {
        audit.Add(kind, address, locator.Locate(address)?.CountryCode, detail);
        logger.LogInformation("Failed attempt kind={Kind} ip={Address}", kind, address);
    }
}
