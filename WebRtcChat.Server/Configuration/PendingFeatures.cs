using WebRtcChat.Components.Configuration;

namespace WebRtcChat.Server.Configuration;

/// <summary>
/// Settings this version reads and validates but does not act on yet (the active defences come in a later
/// version). Rather than let them be silently ignored, each one the user set is named in a warning at start and
/// after every reload.
/// </summary>
public static class PendingFeatures
{
    /// <summary>One message per key that is set but has no effect yet.</summary>
    public static IReadOnlyList<string> Describe(WebRtcChatOptions options)
    {
        var defaults = new WebRtcChatOptions();
        var pending = new List<string>();
        if (options.Server.TrustedProxies.Count > 0)
        {
            pending.Add("Server.TrustedProxies is set, but X-Forwarded-For is not used yet: every client appears with the proxy's address");
        }

        if (options.Geoblocking.DatabaseFile.Length > 0 || options.Geoblocking.AllowedCountries.Count > 0
            || options.Geoblocking.AllowUnknownAddresses != defaults.Geoblocking.AllowUnknownAddresses
            || options.Administrators.Any(a => a.AllowedCountries is not null))
        {
            pending.Add("Geoblocking (and Administrators[].AllowedCountries) is set, but geoblocking is not active in this version: no country is blocked");
        }

        if (options.ScanGuard.Enabled)
        {
            pending.Add("ScanGuard.Enabled is true, but the scan ban is not active in this version: no address is banned yet");
        }

        if (options.Audit.RetentionDays != defaults.Audit.RetentionDays)
        {
            pending.Add("Audit.RetentionDays is set, but failed attempts are not recorded yet");
        }

        return pending;
    }
}
