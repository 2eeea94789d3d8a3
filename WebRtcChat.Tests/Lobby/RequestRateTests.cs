using WebRtcChat.Components.Lobby;

namespace WebRtcChat.Tests.Lobby;

public sealed class RequestRateTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    [Fact]
    public void ARequestCountsAgainOnceItsWindowHasSlidPast()
    {
        var rate = new RequestRate();

        Assert.True(rate.TryCount("192.0.2.1", 2, Window, Start));
        Assert.True(rate.TryCount("192.0.2.1", 2, Window, Start.AddMinutes(5)));
        Assert.False(rate.TryCount("192.0.2.1", 2, Window, Start.AddMinutes(9)));
        Assert.True(rate.TryCount("192.0.2.1", 2, Window, Start.AddMinutes(10)));  // the first has slid out
        Assert.False(rate.TryCount("192.0.2.1", 2, Window, Start.AddMinutes(14))); // a refusal is not counted...
        Assert.True(rate.TryCount("192.0.2.1", 2, Window, Start.AddMinutes(15)));  // ...so the second slides out at 15
    }

    [Fact]
    public void ALimitLoweredByAReloadAppliesAtOnce()
    {
        var rate = new RequestRate();
        for (var i = 0; i < 5; i++)
        {
            Assert.True(rate.TryCount("192.0.2.1", 10, Window, Start));
        }

        Assert.False(rate.TryCount("192.0.2.1", 2, Window, Start.AddMinutes(1)));
    }

    [Fact]
    public void MemoryIsCappedAndTheClientWithTheOldestLastRequestIsForgottenFirst()
    {
        var rate = new RequestRate();
        for (var i = 0; i < RequestRate.MaxClients; i++)
        {
            rate.TryCount($"client-{i}", 1, Window, Start.AddMilliseconds(i));
        }

        Assert.True(rate.TryCount("newcomer", 1, Window, Start.AddMinutes(1)));

        Assert.Equal(RequestRate.MaxClients, rate.Count);
        Assert.True(rate.TryCount("client-0", 1, Window, Start.AddMinutes(1)));  // forgotten, so free again
        Assert.False(rate.TryCount("client-9999", 1, Window, Start.AddMinutes(1))); // still remembered
    }

    [Fact]
    public void ClientsWithNothingInTheWindowAreForgottenBeforeAnyoneElse()
    {
        var rate = new RequestRate();
        for (var i = 0; i < RequestRate.MaxClients; i++)
        {
            rate.TryCount($"client-{i}", 1, Window, i < 100 ? Start : Start.AddMinutes(20));
        }

        Assert.True(rate.TryCount("newcomer", 1, Window, Start.AddMinutes(21)));

        Assert.Equal(RequestRate.MaxClients - 100 + 1, rate.Count);
        Assert.False(rate.TryCount("client-100", 1, Window, Start.AddMinutes(21)));
    }
}
