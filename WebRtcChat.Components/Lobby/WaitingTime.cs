namespace WebRtcChat.Components.Lobby;

/// <summary>How long someone has waited, as the pages show it: <c>m:ss</c>, or <c>h:mm:ss</c> past an hour.</summary>
public static class WaitingTime
{
    /// <summary>The time from <paramref name="since"/> to <paramref name="now"/> (never negative: clocks may differ by a tick).</summary>
    public static string Between(DateTimeOffset since, DateTimeOffset now)
    {
        var waited = now < since ? TimeSpan.Zero : now - since;
        return waited.TotalHours >= 1 ? waited.ToString(@"h\:mm\:ss", null) : waited.ToString(@"m\:ss", null);
    }
}
