using System.Net;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Server.ScanGuard;
using ScanGuardService = WebRtcChat.Server.ScanGuard.ScanGuard;

namespace WebRtcChat.Tests.ScanGuard;

public sealed class ScanGuardTests
{
    private static readonly IPAddress Prober = IPAddress.Parse("192.0.2.7");

    [Fact]
    public void StrikesWithinTheWindowBanTheAddressForTheBanDuration()
    {
        using var f = new ScanGuardFixture(new ScanGuardOptions { Strikes = 3, Window = TimeSpan.FromMinutes(10), BanDuration = TimeSpan.FromHours(2) });

        f.Guard.Strike(Prober, "unknown-path");
        f.Time.Advance(TimeSpan.FromMinutes(4));
        f.Guard.Strike(Prober, "unknown-path");
        Assert.False(f.Guard.IsBanned(Prober));
        f.Time.Advance(TimeSpan.FromMinutes(4));
        f.Guard.Strike(Prober, "wrong-console-path");

        Assert.True(f.Guard.IsBanned(Prober));
        Assert.Equal(f.Time.GetUtcNow() + TimeSpan.FromHours(2), f.Store.Bans[Prober].Until);
        Assert.Equal("wrong-console-path", f.Store.Bans[Prober].Reason);
        Assert.False(f.Guard.IsBanned(IPAddress.Parse("192.0.2.8")));
    }

    [Fact]
    public void StrikesSpreadWiderThanTheWindowNeverBan()
    {
        using var f = new ScanGuardFixture(new ScanGuardOptions { Strikes = 3, Window = TimeSpan.FromMinutes(10) });

        for (var i = 0; i < 20; i++)
        {
            f.Guard.Strike(Prober, "unknown-path");
            f.Time.Advance(TimeSpan.FromMinutes(5.01)); // two strikes fit in any 10 minutes, never three
        }

        Assert.False(f.Guard.IsBanned(Prober));
        Assert.Empty(f.Store.Bans);
    }

    [Fact]
    public void AScannerPathBansAtOnce()
    {
        using var f = new ScanGuardFixture();

        f.Guard.BanNow(Prober, "scanner-path");

        Assert.True(f.Guard.IsBanned(Prober));
    }

    [Theory]
    [InlineData("192.0.2.7")]
    [InlineData("192.0.2.0/24")]
    [InlineData("::ffff:192.0.2.7")]
    public void AnAddressOrRangeInNeverBanIsNeverBanned(string entry)
    {
        using var f = new ScanGuardFixture(new ScanGuardOptions { Strikes = 1, NeverBan = [entry] });

        f.Guard.Strike(Prober, "unknown-path");
        f.Guard.BanNow(Prober, "scanner-path");

        Assert.False(f.Guard.IsBanned(Prober));
        Assert.Empty(f.Store.Bans);
        f.Guard.BanNow(IPAddress.Parse("198.51.100.1"), "scanner-path");
        Assert.True(f.Guard.IsBanned(IPAddress.Parse("198.51.100.1")));
    }

    [Fact]
    public void ATrustedProxyIsNeverBannedBecauseThatWouldShutOutEveryoneBehindIt()
    {
        using var f = new ScanGuardFixture(new ScanGuardOptions { Strikes = 1 });
        f.Settings.Apply(f.Settings.Current with { Server = f.Settings.Current.Server with { TrustedProxies = ["192.0.2.0/24"] } });

        f.Guard.Strike(IPAddress.Parse("192.0.2.10"), "plain-http");
        f.Guard.BanNow(IPAddress.Parse("192.0.2.10"), "scanner-path");

        Assert.False(f.Guard.IsBanned(IPAddress.Parse("192.0.2.10")));
        Assert.Empty(f.Store.Bans);
    }

    [Fact]
    public void AnIPv6ClientIsBannedWithItsWholeSlash64()
    {
        using var f = new ScanGuardFixture(new ScanGuardOptions { Strikes = 2 });

        f.Guard.Strike(IPAddress.Parse("2001:db8:1:2::1"), "unknown-path");
        f.Guard.Strike(IPAddress.Parse("2001:db8:1:2::ffff"), "unknown-path"); // the next address of the same client

        Assert.True(f.Guard.IsBanned(IPAddress.Parse("2001:db8:1:2:abcd::9")));
        Assert.False(f.Guard.IsBanned(IPAddress.Parse("2001:db8:1:3::1")));
        Assert.False(f.Guard.IsBanned(IPAddress.Parse("192.0.2.1")));
    }

    [Fact]
    public void AnIPv6RangeInNeverBanIsRespected()
    {
        using var f = new ScanGuardFixture(new ScanGuardOptions { NeverBan = ["2001:db8::/32"] });

        f.Guard.BanNow(IPAddress.Parse("2001:db8::1234"), "scanner-path");
        f.Guard.BanNow(IPAddress.Parse("2001:db9::1"), "scanner-path");

        Assert.False(f.Guard.IsBanned(IPAddress.Parse("2001:db8::1234")));
        Assert.True(f.Guard.IsBanned(IPAddress.Parse("2001:db9::1")));
    }

    [Fact]
    public void AddingAnAddressToNeverBanLiftsItsBanWithoutARestart()
    {
        using var f = new ScanGuardFixture();
        f.Guard.BanNow(Prober, "scanner-path");
        Assert.True(f.Guard.IsBanned(Prober));

        f.Configure(o => o with { NeverBan = ["192.0.2.0/28"] });

        Assert.False(f.Guard.IsBanned(Prober));
    }

    [Fact]
    public void ADisabledGuardNeverBansAndLetsEarlierBansIn()
    {
        using var f = new ScanGuardFixture(new ScanGuardOptions { Enabled = false, Strikes = 1 });

        f.Guard.Strike(Prober, "unknown-path");
        f.Guard.BanNow(Prober, "scanner-path");
        Assert.False(f.Guard.IsBanned(Prober));
        Assert.Empty(f.Store.Bans);

        f.Configure(o => o with { Enabled = true });
        f.Guard.BanNow(Prober, "scanner-path");
        Assert.True(f.Guard.IsBanned(Prober));
        f.Configure(o => o with { Enabled = false });
        Assert.False(f.Guard.IsBanned(Prober));
    }

    [Fact]
    public void TheStrikeTableNeverHoldsMoreThanMaxTrackedAddresses()
    {
        using var f = new ScanGuardFixture(new ScanGuardOptions { Strikes = 2, Window = TimeSpan.FromHours(1) });
        static IPAddress Nth(int i) => new([10, (byte)(i >> 16), (byte)(i >> 8), (byte)i]);
        var first = Nth(0);

        for (var i = 0; i < ScanGuardService.MaxTrackedAddresses + 2_500; i++)
        {
            f.Guard.Strike(Nth(i), "unknown-path");
            Assert.True(f.Guard.TrackedAddressCount <= ScanGuardService.MaxTrackedAddresses);
        }

        Assert.Equal(ScanGuardService.MaxTrackedAddresses, f.Guard.TrackedAddressCount);
        // The oldest was evicted, so its second strike counts as a first one and does not ban.
        f.Guard.Strike(first, "unknown-path");
        Assert.False(f.Guard.IsBanned(first));
        Assert.Empty(f.Store.Bans);
    }

    [Fact]
    public void StrikesWhoseWindowHasPassedAreForgotten()
    {
        using var f = new ScanGuardFixture(new ScanGuardOptions { Strikes = 3, Window = TimeSpan.FromMinutes(10) });
        for (var i = 1; i <= 100; i++)
        {
            f.Guard.Strike(IPAddress.Parse($"198.51.100.{i}"), "unknown-path");
        }

        f.Time.Advance(TimeSpan.FromMinutes(11));
        f.Guard.Strike(Prober, "unknown-path");

        Assert.Equal(1, f.Guard.TrackedAddressCount);
    }

    [Fact]
    public void AnIPv4MappedAddressIsTheSameAsItsIPv4Form()
    {
        using var f = new ScanGuardFixture(new ScanGuardOptions { Strikes = 2 });
        var mapped = Prober.MapToIPv6();
        Assert.True(mapped.IsIPv4MappedToIPv6);

        f.Guard.Strike(mapped, "unknown-path");
        f.Guard.Strike(Prober, "unknown-path");

        Assert.True(f.Guard.IsBanned(Prober));
        Assert.True(f.Guard.IsBanned(mapped));
        Assert.Equal([Prober], f.Store.Bans.Keys);
    }

    [Fact]
    public void BansExpireAfterTheBanDuration()
    {
        using var f = new ScanGuardFixture(new ScanGuardOptions { BanDuration = TimeSpan.FromHours(1) });
        f.Guard.BanNow(Prober, "scanner-path");

        f.Time.Advance(TimeSpan.FromMinutes(59));
        Assert.True(f.Guard.IsBanned(Prober));
        f.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.False(f.Guard.IsBanned(Prober));

        // The next ban purges the expired one, from memory and from the file.
        f.Guard.BanNow(IPAddress.Parse("198.51.100.1"), "scanner-path");
        Assert.False(f.Store.Bans.ContainsKey(Prober));
    }
}
