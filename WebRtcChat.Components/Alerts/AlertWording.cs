using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Lobby;

namespace WebRtcChat.Components.Alerts;

/// <summary>
/// What an alert says. By default the visitor's name, whom they wait for and since when: never the console path,
/// never a secret, and the visitor's address only with <c>IncludeAddress</c>, the link only with <c>IncludeConsoleLink</c>.
/// </summary>
public static class AlertWording
{
    /// <summary>The alert about a waiting visitor to <paramref name="recipient"/> (<paramref name="forUnknownHost"/>: the visitor named no known host).</summary>
    public static Alert ForVisitor(AlertReason reason, Visitor visitor, AdministratorOptions recipient, bool forUnknownHost, AlertsOptions shared, DateTimeOffset now)
    {
        var alerts = recipient.Alerts;
        var whom = forUnknownHost ? "(asked for nobody known here)" : $"for {recipient.Name}";
        var title = reason == AlertReason.Reminder ? $"{visitor.Name} is still waiting {whom}" : $"{visitor.Name} is waiting {whom}";
        var body = $"Waiting since {Clock(alerts.TimeZone, visitor.ArrivedAt)}";
        if (reason == AlertReason.Reminder)
        {
            body += $", for {Minutes(now - visitor.ArrivedAt)}";
        }

        body += ".";
        if (alerts.IncludeAddress)
        {
            body += $" From {visitor.Address}.";
        }

        return new Alert(reason, title, body, ConsoleLink(recipient, shared), visitor.ArrivedAt, TagOf(visitor.Id));
    }

    // Stable per visitor, but not the lobby's own id for them: the tag leaves the server.
    private static string TagOf(string visitorId) =>
        "webrtcchat-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("alert-tag:" + visitorId)))[..16];

    /// <summary>The alert the console's <b>Send a test alert</b> sends.</summary>
    public static Alert ForTest(AdministratorOptions recipient, AlertsOptions shared, DateTimeOffset now) =>
        new(AlertReason.Test, $"Test alert for {recipient.Name}",
            $"Sent from the console at {Clock(recipient.Alerts.TimeZone, now)}. When someone starts waiting, the alert looks like this.",
            ConsoleLink(recipient, shared), now, "webrtcchat-test");

    /// <summary>The console's address, only for a host who turned on <c>IncludeConsoleLink</c> (and with a public URL).</summary>
    public static string? ConsoleLink(AdministratorOptions host, AlertsOptions shared) =>
        host.Alerts.IncludeConsoleLink && shared.PublicUrl.Length > 0 ? shared.PublicUrl.TrimEnd('/') + host.ConsolePath : null;

    private static string Clock(string timeZone, DateTimeOffset at)
    {
        var local = AlertSchedule.LocalTime(timeZone, at);
        var zone = string.IsNullOrWhiteSpace(timeZone) ? "" : $" ({timeZone})";
        return local.ToString("HH:mm", CultureInfo.InvariantCulture) + zone;
    }

    private static string Minutes(TimeSpan waited)
    {
        var minutes = Math.Max(1, (int)Math.Round(waited.TotalMinutes));
        return minutes == 1 ? "1 minute" : $"{minutes} minutes";
    }
}
