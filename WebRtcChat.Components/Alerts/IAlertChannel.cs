using WebRtcChat.Components.Configuration;

namespace WebRtcChat.Components.Alerts;

/// <summary>Why an alert is sent.</summary>
public enum AlertReason
{
    /// <summary>A visitor started waiting.</summary>
    Waiting,

    /// <summary>A visitor is still waiting after <see cref="AdministratorAlertsOptions.RemindAfter"/>.</summary>
    Reminder,

    /// <summary>The host pressed <b>Send a test alert</b>.</summary>
    Test,
}

/// <summary>
/// One alert to one host, as every channel sends it: already worded, and holding nothing the host's configuration
/// did not allow (no address unless <see cref="AdministratorAlertsOptions.IncludeAddress"/>, no link unless
/// <see cref="AdministratorAlertsOptions.IncludeConsoleLink"/>, never a secret).
/// </summary>
/// <param name="Reason">Why it is sent.</param>
/// <param name="Title">A short line, e.g. "Bob is waiting for alice".</param>
/// <param name="Body">The rest: the time, and the address when allowed.</param>
/// <param name="ConsoleLink">The console's URL when allowed, else null.</param>
/// <param name="At">When the visitor started waiting (or the test was asked for).</param>
/// <param name="Tag">Stable per visitor, so a reminder replaces the first alert where a channel can (Web Push tag, ntfy id).</param>
public sealed record Alert(AlertReason Reason, string Title, string Body, string? ConsoleLink, DateTimeOffset At, string Tag);

/// <summary>What one channel did with one alert.</summary>
/// <param name="Channel">The channel's name as the console shows it.</param>
/// <param name="Sent">Whether the channel's service accepted it.</param>
/// <param name="Problem">Why it was not sent, in words for the host, with no secret in it; null when sent.</param>
/// <param name="Permanent">The failure will repeat until the configuration changes (bad credentials, 401/403/404/410).</param>
public sealed record AlertOutcome(string Channel, bool Sent, string? Problem = null, bool Permanent = false);

/// <summary>A way of reaching a host: Web Push, ntfy, a webhook or e-mail.</summary>
public interface IAlertChannel
{
    /// <summary>The channel's name as the console and the log show it, e.g. "ntfy".</summary>
    string Name { get; }

    /// <summary>Whether this host has this channel set up (for Web Push: allowed and at least one device subscribed).</summary>
    bool IsConfigured(AdministratorOptions host);

    /// <summary>Sends one alert. Never throws for a delivery failure: the outcome says what went wrong.</summary>
    Task<AlertOutcome> SendAsync(AdministratorOptions host, Alert alert, CancellationToken cancellationToken);
}
