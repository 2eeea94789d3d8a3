namespace WebRtcChat.Tests.Infrastructure;

/// <summary>
/// A clock that moves only when told, whose timers fire as it moves (unlike <see cref="ManualTime"/>'s): for proving
/// what does, and does not, happen as time passes.
/// </summary>
public sealed class TickingTime(DateTimeOffset start) : TimeProvider
{
    private readonly List<Timer> _timers = [];
    private DateTimeOffset _now = start;

    public TickingTime() : this(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>How many timers are running now.</summary>
    public int RunningTimers => _timers.Count(t => t.Due is not null);

    public override DateTimeOffset GetUtcNow() => _now;

    /// <summary>Moves the clock on, firing each timer as often as it falls due meanwhile, in time order.</summary>
    public void Advance(TimeSpan by)
    {
        var end = _now + by;
        while (_timers.Where(t => t.Due <= end).MinBy(t => t.Due) is { } next)
        {
            _now = next.Due!.Value;
            next.Due = next.Period > TimeSpan.Zero ? _now + next.Period : null;
            next.Fire();
        }

        _now = end;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Timer(this, () => callback(state));
        timer.Change(dueTime, period);
        _timers.Add(timer);
        return timer;
    }

    private sealed class Timer(TickingTime time, Action fire) : ITimer
    {
        public DateTimeOffset? Due { get; set; }

        public TimeSpan Period { get; private set; }

        public void Fire() => fire();

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Due = dueTime == Timeout.InfiniteTimeSpan ? null : time._now + dueTime;
            Period = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;
            return true;
        }

        public void Dispose() => Due = null;

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
