using System.Net;
using WebRtcChat.Components.Alerts;

namespace WebRtcChat.Components.Configuration;

/// <summary>The <c>Alerts</c> section and each administrator's <c>Alerts</c>.</summary>
public static partial class OptionsValidator
{
    /// <summary>The most recipients one host's e-mail may have.</summary>
    public const int MaxEmailRecipients = 20;

    private const string LoopbackHttpNote = "https: (http: only to this machine: localhost, 127.0.0.0/8 or [::1])";

    private static void ValidateAlerts(WebRtcChatOptions options, List<string> errors)
    {
        var shared = options.Alerts ?? new AlertsOptions();
        if (shared.PublicUrl.Length > 0 && !(Uri.TryCreate(shared.PublicUrl, UriKind.Absolute, out var publicUrl)
            && publicUrl.Scheme == Uri.UriSchemeHttps && publicUrl.UserInfo.Length == 0 && publicUrl.Query.Length == 0 && publicUrl.Fragment.Length == 0))
        {
            errors.Add("Alerts.PublicUrl: must be \"\" or an https: URL such as https://chat.example.org:8443 (with the sub-directory, if any), with no user, query or fragment");
        }

        if (shared.VapidSubject.Length > 0 && !IsVapidSubject(shared.VapidSubject))
        {
            errors.Add("Alerts.VapidSubject: must be \"\", a mailto: URL such as mailto:you@example.org, or an https: URL");
        }

        var administrators = options.Administrators;
        for (var i = 0; i < administrators.Count; i++)
        {
            if (administrators[i] is not { } admin)
            {
                continue; // reported with the administrator
            }

            var key = $"Administrators[{i}].Alerts";
            if (admin.Alerts is not { } alerts)
            {
                errors.Add($"{key}: must be an object (leave it out for no alerts)");
                continue;
            }

            // With one host, that host is the super administrator.
            var isSuper = admin.SuperAdministrator || administrators.Count == 1;
            ValidateHostAlerts(alerts, key, isSuper, shared.PublicUrl.Length > 0, errors);
        }
    }

    private static void ValidateHostAlerts(AdministratorAlertsOptions alerts, string key, bool isSuper, bool hasPublicUrl, List<string> errors)
    {
        if (alerts.Ntfy is { } ntfy)
        {
            if (!IsAlertUrl(ntfy.Url ?? "") || Uri.TryCreate(ntfy.Url, UriKind.Absolute, out var topic) && (topic.AbsolutePath.Trim('/').Length == 0 || topic.Query.Length > 0))
            {
                errors.Add($"{key}.Ntfy.Url: must be the topic's {LoopbackHttpNote} URL, such as https://ntfy.sh/a-long-random-topic, with no user, query or fragment");
            }

            if (!IsHeaderToken(ntfy.AccessToken ?? "", allowEmpty: true))
            {
                errors.Add($"{key}.Ntfy.AccessToken: must be \"\" or an ntfy access token (tk_…): at most 200 printable characters, no spaces");
            }
        }

        if (alerts.Webhook is { } webhook)
        {
            if (!IsAlertUrl(webhook.Url ?? ""))
            {
                errors.Add($"{key}.Webhook.Url: must be an {LoopbackHttpNote} URL, such as https://gotify.example.org/message?token=…, with no user or fragment");
            }

            if ((webhook.Secret ?? "").Length is < 16 or > 500)
            {
                errors.Add($"{key}.Webhook.Secret: must be 16 to 500 characters (the key of the signature; a random one, e.g. from openssl rand -hex 32)");
            }
        }

        if (alerts.Email is { } email)
        {
            ValidateEmail(email, $"{key}.Email", errors);
        }

        if (alerts.IncludeConsoleLink && !hasPublicUrl)
        {
            errors.Add($"{key}.IncludeConsoleLink: needs Alerts.PublicUrl, the address the link starts with");
        }

        if (alerts.RemindAfter is { } remind && (remind < TimeSpan.FromMinutes(1) || remind > TimeSpan.FromDays(1)))
        {
            errors.Add($"{key}.RemindAfter: must be null or between 00:01:00 and 1.00:00:00");
        }

        if (alerts.MaxAlertsPerHour is < 1 or > 1000)
        {
            errors.Add($"{key}.MaxAlertsPerHour: must be between 1 and 1000");
        }

        var quiet = alerts.QuietHours ?? [];
        for (var j = 0; j < quiet.Count; j++)
        {
            if (!AlertSchedule.TryParseRange(quiet[j], out _, out _))
            {
                errors.Add($"{key}.QuietHours[{j}]: must be a range of 24-hour times such as \"22:00-07:00\" that does not start where it ends");
            }
        }

        if (AlertSchedule.FindTimeZone(alerts.TimeZone) is null)
        {
            errors.Add($"{key}.TimeZone: unknown time zone \"{alerts.TimeZone}\": use an IANA name such as Europe/Berlin, or \"\" for the server's");
        }

        if (alerts.UnknownHostVisitors && !isSuper)
        {
            errors.Add($"{key}.UnknownHostVisitors: only the super administrator sees visitors who named no known host");
        }
    }

    private static void ValidateEmail(EmailOptions email, string key, List<string> errors)
    {
        var host = email.Host ?? "";
        if (Uri.CheckHostName(host) is UriHostNameType.Unknown || host.Length > 253)
        {
            errors.Add($"{key}.Host: must be the SMTP server's name or IP address, such as smtp.example.org");
        }

        if (email.Port is < 1 or > 65535)
        {
            errors.Add($"{key}.Port: must be between 1 and 65535 (587 for StartTls, 465 for Tls)");
        }

        if (!Enum.IsDefined(email.Security))
        {
            errors.Add($"{key}.Security: must be \"StartTls\", \"Tls\" or \"None\"");
        }
        else if (email.Security == SmtpSecurity.None && Uri.CheckHostName(host) is not UriHostNameType.Unknown && !IsLoopbackHost(host))
        {
            errors.Add($"{key}.Security: \"None\" is only for a mail relay on this machine (localhost, 127.0.0.0/8 or ::1); use \"StartTls\" or \"Tls\"");
        }

        var (user, password) = (email.User ?? "", email.Password ?? "");
        if (user.Length > 0 != password.Length > 0)
        {
            errors.Add(user.Length > 0 ? $"{key}.Password: must be set when {key}.User is set" : $"{key}.User: must be set when {key}.Password is set");
        }

        if (user.Any(char.IsControl) || password.Any(char.IsControl))
        {
            errors.Add($"{key}.{(user.Any(char.IsControl) ? "User" : "Password")}: must not contain control characters");
        }

        if (!IsEmailAddress(email.From))
        {
            errors.Add($"{key}.From: must be one e-mail address, such as webrtcchat@example.org");
        }

        var to = email.To ?? [];
        if (to.Count is 0 or > MaxEmailRecipients)
        {
            errors.Add($"{key}.To: must list 1 to {MaxEmailRecipients} e-mail addresses");
        }

        for (var j = 0; j < to.Count; j++)
        {
            if (!IsEmailAddress(to[j]))
            {
                errors.Add($"{key}.To[{j}]: must be one e-mail address, such as alice@example.org");
            }
        }
    }

    /// <summary>
    /// Whether an ntfy or webhook URL may be used: https, or http to this machine only (a local ntfy or Gotify, and
    /// the tests' receivers), with no user name or password in it (they would be sent in the clear in logs and
    /// errors) and no fragment.
    /// </summary>
    public static bool IsAlertUrl(string url) =>
        url.Length <= 2000 && Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && IsLoopbackHost(uri.Host)))
        && uri.UserInfo.Length == 0 && uri.Fragment.Length == 0 && uri.Host.Length > 0;

    /// <summary>localhost, 127.0.0.0/8 or ::1.</summary>
    public static bool IsLoopbackHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static bool IsVapidSubject(string subject) =>
        subject.StartsWith("mailto:", StringComparison.Ordinal) ? IsEmailAddress(subject["mailto:".Length..])
        : Uri.TryCreate(subject, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && uri.UserInfo.Length == 0;

    // One plain address (no display name, no list): what SMTP's MAIL FROM and RCPT TO take.
    private static bool IsEmailAddress(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 254 || text.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '<' or '>' or ',' or ';' or '"'))
        {
            return false;
        }

        var at = text.LastIndexOf('@');
        return at > 0 && at < text.Length - 1 && Uri.CheckHostName(text[(at + 1)..]) is not UriHostNameType.Unknown;
    }

    // A value that goes into a header as it is: printable ASCII with no spaces, so it can never start another header.
    private static bool IsHeaderToken(string value, bool allowEmpty) =>
        (allowEmpty || value.Length > 0) && value.Length <= 200 && value.All(c => c is > ' ' and < (char)127);
}
