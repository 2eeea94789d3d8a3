using System.Globalization;

namespace WebRtcChat.Components.Alerts;

/// <summary>A host's local clock: the time zone of their alerts and the quiet hours that hold alerts back.</summary>
public static class AlertSchedule
{
    /// <summary>
    /// Reads a range such as <c>"22:00-07:00"</c> (24-hour <c>HH:mm</c>, start before or after end: a range past
    /// midnight goes on into the next day). False for anything else, or a range that starts where it ends.
    /// </summary>
    public static bool TryParseRange(string? text, out TimeOnly start, out TimeOnly end)
    {
        (start, end) = (default, default);
        var parts = (text ?? "").Split('-', StringSplitOptions.TrimEntries);
        return parts.Length == 2
            && TimeOnly.TryParseExact(parts[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out start)
            && TimeOnly.TryParseExact(parts[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out end)
            && start != end;
    }

    /// <summary>The time zone named (IANA, e.g. <c>Europe/Berlin</c>), or the server's for <c>""</c>; null when unknown.</summary>
    public static TimeZoneInfo? FindTimeZone(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return TimeZoneInfo.Local;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(name);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }

    /// <summary>The host's local time at <paramref name="at"/>.</summary>
    public static DateTimeOffset LocalTime(string? timeZone, DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, FindTimeZone(timeZone) ?? TimeZoneInfo.Local);

    /// <summary>Whether <paramref name="at"/> falls in one of the host's quiet ranges, read in their time zone.</summary>
    public static bool IsQuiet(IReadOnlyList<string> quietHours, string? timeZone, DateTimeOffset at)
    {
        if (quietHours.Count == 0)
        {
            return false;
        }

        var now = TimeOnly.FromDateTime(LocalTime(timeZone, at).DateTime);
        foreach (var range in quietHours)
        {
            if (TryParseRange(range, out var start, out var end) && now.IsBetween(start, end))
            {
                return true; // IsBetween reads a start after the end as a range past midnight
            }
        }

        return false;
    }
}
