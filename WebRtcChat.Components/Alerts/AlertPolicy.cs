using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Lobby;

namespace WebRtcChat.Components.Alerts;

/// <summary>One alert the policy decided to send: to whom (by name, read again from the configuration at send time), and what.</summary>
public sealed record AlertJob(string HostName, Alert Alert);

/// <summary>What the policy held back and why, for the log (never the alert's text: it names the visitor).</summary>
public enum AlertHeld
{
    /// <summary>The host's <c>MaxAlertsPerHour</c> was reached: this alert is dropped.</summary>
    Throttled,
}

/// <summary>
/// Who is alerted when, from the lobby's snapshots and the clock: no network, no lock of its own, no clock of its own,
/// so every rule is a test with a made-up time. Per waiting visitor, the host they asked for (only when the name is on
/// the host's list), or for a visitor who named no known host the super administrator who asked for it; at most one
/// alert per visitor, and one reminder after <c>RemindAfter</c>; at most <c>MaxAlertsPerHour</c> per host; nothing
/// during <c>QuietHours</c> (held until they end, if the visitor still waits); nothing while a console of that host is
/// visible (it chimes by itself), unless <c>WhileConsoleVisible</c>. Not thread-safe: its owner calls it from one place.
/// </summary>
public sealed class AlertPolicy
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly Dictionary<(string VisitorId, string Host), Progress> _visitors = [];
    private readonly Dictionary<string, Queue<DateTimeOffset>> _sent = new(StringComparer.Ordinal); // host → alerts sent in the last hour

    private enum Stage
    {
        Pending,
        Alerted,
        Done,
    }

    /// <summary>What was held back in the last <see cref="Evaluate"/> (host and why), for its owner to log.</summary>
    public List<(string Host, AlertHeld Why)> Held { get; } = [];

    /// <summary>
    /// The alerts due now. <paramref name="hasChannel"/> says whether a host has any channel set up (a host with none
    /// is never counted against their hourly limit), and is asked only when an alert would otherwise go.
    /// </summary>
    public IReadOnlyList<AlertJob> Evaluate(LobbySnapshot snapshot, WebRtcChatOptions options, DateTimeOffset now, Func<AdministratorOptions, bool> hasChannel)
    {
        Held.Clear();
        var jobs = new List<AlertJob>();
        var seen = new HashSet<(string, string)>();
        foreach (var visitor in snapshot.Visitors)
        {
            if (Recipient(visitor, options) is not var (host, unknown))
            {
                continue;
            }

            var key = (visitor.Id, host.Name);
            seen.Add(key);
            var progress = _visitors.GetValueOrDefault(key, new Progress(Stage.Pending, null));
            if (visitor.Status is VisitorStatus.Ringing or VisitorStatus.InCall)
            {
                _visitors[key] = progress with { Stage = Stage.Done }; // the host is calling them: they know
                continue;
            }

            if (visitor.Status != VisitorStatus.Waiting || progress.Stage == Stage.Done)
            {
                _visitors[key] = progress; // away (a reload): decided when they are back
                continue;
            }

            var reason = progress.Stage == Stage.Pending ? AlertReason.Waiting : AlertReason.Reminder;
            if (reason == AlertReason.Reminder && (host.Alerts.RemindAfter is not { } remind || now < progress.Since + remind))
            {
                _visitors[key] = progress;
                continue;
            }

            _visitors[key] = Decide(reason, visitor, host, unknown, snapshot, options, now, hasChannel, jobs, progress);
        }

        foreach (var gone in _visitors.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            _visitors.Remove(gone); // left, dismissed, or no longer anybody's to alert
        }

        return jobs;
    }

    private Progress Decide(AlertReason reason, Visitor visitor, AdministratorOptions host, bool unknown, LobbySnapshot snapshot,
        WebRtcChatOptions options, DateTimeOffset now, Func<AdministratorOptions, bool> hasChannel, List<AlertJob> jobs, Progress progress)
    {
        var next = reason == AlertReason.Waiting ? Stage.Alerted : Stage.Done;
        if (!host.Alerts.WhileConsoleVisible && snapshot.Hosts.Any(h => h.HostName == host.Name && h.Visible))
        {
            return new Progress(next, now); // the console alerted them, and shows the visitor: this alert is done
        }

        if (AlertSchedule.IsQuiet(host.Alerts.QuietHours, host.Alerts.TimeZone, now))
        {
            return progress; // held: it goes when the quiet hours end, if the visitor still waits
        }

        if (!hasChannel(host))
        {
            return progress; // nothing to send through (yet: a channel may be added, or a device subscribed)
        }

        var sent = _sent.TryGetValue(host.Name, out var times) ? times : _sent[host.Name] = new Queue<DateTimeOffset>();
        while (sent.TryPeek(out var oldest) && now - oldest >= Hour)
        {
            sent.Dequeue();
        }

        if (sent.Count >= host.Alerts.MaxAlertsPerHour)
        {
            Held.Add((host.Name, AlertHeld.Throttled));
            return new Progress(next, now); // dropped, not held: a flood must not come out later as a burst
        }

        sent.Enqueue(now);
        jobs.Add(new AlertJob(host.Name, AlertWording.ForVisitor(reason, visitor, host, unknown, options.Alerts, now)));
        return new Progress(next, now);
    }

    /// <summary>
    /// Whom a visitor alerts, as the configuration is now: the host they asked for, only when their name is on that
    /// host's list; for one who named nobody known (or a host since removed), the super administrator, only when
    /// they asked for it. Geoblocked visitors and those past a bound were never listed, so they alert nobody.
    /// </summary>
    public static (AdministratorOptions Host, bool UnknownHost)? Recipient(Visitor visitor, WebRtcChatOptions options)
    {
        var administrators = options.Administrators;
        if (administrators.FirstOrDefault(a => a.Name == visitor.HostName) is { } host)
        {
            return VisitorNames.IsPermitted(host.PermittedVisitors, visitor.Name) ? (host, false) : null;
        }

        var super = administrators.Count == 1 ? administrators[0] : administrators.FirstOrDefault(a => a.SuperAdministrator);
        return super is { Alerts.UnknownHostVisitors: true } ? (super, true) : null;
    }

    // Where one visitor's alerts to one host are: none yet, the first sent (when), or all done.
    private sealed record Progress(Stage Stage, DateTimeOffset? Since);
}
