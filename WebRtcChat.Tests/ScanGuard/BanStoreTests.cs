using System.Net;
using Microsoft.Data.Sqlite;
using WebRtcChat.Server.ScanGuard;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.ScanGuard;

public sealed class BanStoreTests
{
    private static readonly IPAddress Prober = IPAddress.Parse("192.0.2.7");

    [Fact]
    public void BansSurviveARestartOnTheSameFile()
    {
        using var f = new ScanGuardFixture();
        var until = f.Time.GetUtcNow().AddDays(1);
        f.Store.Ban(Prober, until, "scanner-path");
        f.Store.Ban(IPAddress.Parse("2001:db8::1"), until, "strikes");
        f.Store.Dispose();

        using var reopened = new BanStore(f.DatabaseFile, f.Time);

        Assert.True(reopened.IsBanned(Prober, f.Time.GetUtcNow()));
        Assert.True(reopened.IsBanned(IPAddress.Parse("2001:db8::1"), f.Time.GetUtcNow()));
        Assert.Equal(new BanEntry(Prober, until, "scanner-path", f.Time.GetUtcNow()), reopened.Bans[Prober]);
    }

    [Fact]
    public void BansExpiredWhileTheServerWasDownAreNotLoadedAndAreDeleted()
    {
        using var f = new ScanGuardFixture();
        f.Store.Ban(Prober, f.Time.GetUtcNow().AddHours(1), "scanner-path");
        f.Store.Ban(IPAddress.Parse("198.51.100.1"), f.Time.GetUtcNow().AddDays(2), "scanner-path");
        f.Store.Dispose();
        var later = new ManualTime(f.Time.GetUtcNow().AddDays(1));

        using var reopened = new BanStore(f.DatabaseFile, later);

        Assert.False(reopened.IsBanned(Prober, later.GetUtcNow()));
        Assert.Equal([IPAddress.Parse("198.51.100.1")], reopened.Bans.Keys);
        Assert.Equal(1, CountRows(f.DatabaseFile));
    }

    [Fact]
    public void TheDatabaseIsInWalMode()
    {
        using var f = new ScanGuardFixture();
        using var connection = new SqliteConnection($"Data Source={f.DatabaseFile};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", command.ExecuteScalar() as string);
    }

    private static long CountRows(string file) => SqliteFiles.Scalar(file, "SELECT COUNT(*) FROM bans;");
}
