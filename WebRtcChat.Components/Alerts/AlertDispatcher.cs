using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WebRtcChat.Components.Circuits;
using WebRtcChat.Components.Configuration;

namespace WebRtcChat.Components.Alerts;

/// <summary>
/// Sends the alerts <see cref="AlertPolicy"/> decides on through every <see cref="IAlertChannel"/> registered. It follows
/// the lobby like a page does (an inbox of its own, plus a one-second tick for reminders and the end of quiet hours),
/// and puts what is due into a bounded queue that one loop sends from: the lobby never waits for the network, and a
/// flood of requests fills the queue, not the memory. A failure is one Warning line naming the host, the channel and
/// what went wrong, never a secret; a permanent one (bad credentials, a 410) is said once until it changes.
/// </summary>
public sealed partial class AlertDispatcher(Lobby.Lobby lobby, WebRtcChatSettings settings, IEnumerable<IAlertChannel> channels,
    TimeProvider time, ILogger<AlertDispatcher> logger) : BackgroundService
{
    /// <summary>How many alerts may wait to be sent; past it a new one is dropped and the log says so.</summary>
    public const int QueueCapacity = 64;

    /// <summary>How long one channel may take over one alert, its retries included.</summary>
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How long after one test alert a host's next may go, from any of their consoles.</summary>
    public static readonly TimeSpan TestInterval = TimeSpan.FromSeconds(10);

    private readonly IAlertChannel[] _channels = [.. channels];
    private readonly AlertPolicy _policy = new();
    private readonly Lock _gate = new(); // the policy's: evaluated from the inbox loop and the tick
    private readonly HashSet<(string Host, string Channel, string Problem)> _saidOnce = [];
    private readonly Dictionary<string, DateTimeOffset> _lastTest = []; // under _gate
    private readonly Channel<AlertJob> _queue = Channel.CreateBounded<AlertJob>(new BoundedChannelOptions(QueueCapacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait, // with TryWrite: false when full, never a wait
    });

    /// <summary>The channels registered, in order (the console lists those set up for its host).</summary>
    public IReadOnlyList<IAlertChannel> Channels => _channels;

    /// <summary>The channels set up for <paramref name="host"/>, in order.</summary>
    public IReadOnlyList<IAlertChannel> ChannelsFor(AdministratorOptions host) => [.. _channels.Where(c => IsConfigured(c, host))];

    /// <summary>
    /// Evaluates the policy on the lobby as it is now and queues what is due. Called on each lobby change and every
    /// second; tests call it directly.
    /// </summary>
    public void Evaluate()
    {
        var options = settings.Current;
        IReadOnlyList<AlertJob> due;
        List<(string Host, AlertHeld Why)> held;
        lock (_gate)
        {
            due = _policy.Evaluate(lobby.Current, options, time.GetUtcNow(), host => _channels.Any(c => IsConfigured(c, host)));
            held = [.. _policy.Held];
        }

        foreach (var (host, _) in held.Distinct())
        {
            logger.LogInformation("Alert to {Host} not sent: Alerts.MaxAlertsPerHour reached", host);
        }

        foreach (var job in due)
        {
            if (!_queue.Writer.TryWrite(job))
            {
                logger.LogWarning("Alert to {Host} dropped: {Capacity} alerts are already waiting to be sent", job.HostName, QueueCapacity);
            }
        }
    }

    /// <summary>
    /// <b>Send a test alert</b>: sends at once to each channel set up for the host (no quiet hours, no hourly limit,
    /// no queue: the console waits for the answers) and returns what each did, in channel order. One test per host per
    /// <see cref="TestInterval"/>, whichever console asks: a second is one outcome saying when to try again, and
    /// sends nothing, so a held-down key or several tabs cannot flood a push service or a mail server.
    /// </summary>
    public async Task<IReadOnlyList<AlertOutcome>> SendTestAsync(string hostName, CancellationToken cancellationToken)
    {
        var options = settings.Current;
        if (options.Administrators.FirstOrDefault(a => a.Name == hostName) is not { } host)
        {
            return [];
        }

        DateTimeOffset now;
        lock (_gate)
        {
            now = time.GetUtcNow(); // read under the lock: two consoles at once are ordered as they take it
            var since = _lastTest.TryGetValue(host.Name, out var last) ? now - last : TimeSpan.MaxValue;
            if (since >= TimeSpan.Zero && since < TestInterval) // a clock set back does not hold tests off for as long
            {
                var wait = (int)Math.Ceiling((TestInterval - since).TotalSeconds);
                return [new AlertOutcome("Alerts", false, $"one test every {TestInterval.TotalSeconds:0} s; try again in {wait} s")];
            }

            _lastTest[host.Name] = now;
        }

        return await SendAsync(host, AlertWording.ForTest(host, options.Alerts, now), cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var clearOnChange = settings.Subscribe(_ => ForgetPermanentFailures());
        var inbox = new LobbyInbox();
        lobby.Attach(inbox);
        using var tick = time.CreateTimer(_ => EvaluateSafely(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        try
        {
            await Task.WhenAll(FollowAsync(inbox, stoppingToken), SendQueuedAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            lobby.Detach(inbox);
            inbox.Close();
        }
    }

    private async Task FollowAsync(LobbyInbox inbox, CancellationToken stoppingToken)
    {
        await foreach (var _ in inbox.ReadAllAsync(stoppingToken))
        {
            while (inbox.TryRead(out var _))
            {
                // a burst of changes: the lobby as it is now is all that counts
            }

            EvaluateSafely();
        }
    }

    private async Task SendQueuedAsync(CancellationToken stoppingToken)
    {
        await foreach (var job in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            // The host as the configuration is now: a channel removed meanwhile is not used, a host removed not alerted.
            if (settings.Current.Administrators.FirstOrDefault(a => a.Name == job.HostName) is { } host)
            {
                await SendAsync(host, job.Alert, stoppingToken);
            }
        }
    }

    private async Task<IReadOnlyList<AlertOutcome>> SendAsync(AdministratorOptions host, Alert alert, CancellationToken cancellationToken)
    {
        var outcomes = await Task.WhenAll(ChannelsFor(host).Select(channel => SendOneAsync(channel, host, alert, cancellationToken)));
        return outcomes;
    }

    private async Task<AlertOutcome> SendOneAsync(IAlertChannel channel, AdministratorOptions host, Alert alert, CancellationToken cancellationToken)
    {
        AlertOutcome outcome;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(SendTimeout);
        try
        {
            outcome = await channel.SendAsync(host, alert, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            outcome = new AlertOutcome(channel.Name, false, $"no answer within {SendTimeout.TotalSeconds:0} s");
        }
#pragma warning disable CA1031 // A channel's bug must not stop the others, nor the queue. Its message may hold a URL: not logged.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            outcome = new AlertOutcome(channel.Name, false, $"failed ({e.GetType().Name})");
        }

        Log(host, alert, outcome);
        return outcome;
    }

    private void Log(AdministratorOptions host, Alert alert, AlertOutcome outcome)
    {
        var key = (host.Name, outcome.Channel, outcome.Problem ?? "");
        if (outcome.Sent)
        {
            lock (_saidOnce)
            {
                _saidOnce.RemoveWhere(k => k.Host == host.Name && k.Channel == outcome.Channel);
            }

            logger.LogInformation("Alert ({Reason}) to {Host} sent through {Channel}", alert.Reason, host.Name, outcome.Channel);
            return;
        }

        bool first;
        lock (_saidOnce)
        {
            first = !outcome.Permanent || _saidOnce.Add(key);
        }

        if (first)
        {
            logger.LogWarning("Alert ({Reason}) to {Host} through {Channel} failed: {Problem}{Once}", alert.Reason, host.Name, outcome.Channel,
                outcome.Problem ?? "not sent", outcome.Permanent ? " (said once, until it works or the configuration changes)" : "");
        }
        else
        {
            logger.LogDebug("Alert ({Reason}) to {Host} through {Channel} failed again: {Problem}", alert.Reason, host.Name, outcome.Channel, outcome.Problem);
        }
    }

    private void ForgetPermanentFailures()
    {
        lock (_saidOnce)
        {
            _saidOnce.Clear();
        }
    }

    private void EvaluateSafely()
    {
        try
        {
            Evaluate();
        }
#pragma warning disable CA1031 // The tick and the inbox loop must survive a bug in one evaluation; it is logged.
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogError(e, "Alerts: evaluating the lobby failed");
        }
    }

    // A channel that cannot even say whether it is set up (Web Push's store unreadable) counts as not set up.
    private bool IsConfigured(IAlertChannel channel, AdministratorOptions host)
    {
        try
        {
            return channel.IsConfigured(host);
        }
#pragma warning disable CA1031 // One channel's failure must not stop the others.
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogWarning("Alert channel {Channel} could not say whether {Host} has it set up ({Error})", channel.Name, host.Name, e.GetType().Name);
            return false;
        }
    }
}
