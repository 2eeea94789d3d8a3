using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Server.Audit;
using WebRtcChat.Server.Configuration;
using WebRtcChat.Server.ScanGuard;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Defences;

public sealed class SchemaVersionTests : IDisposable
{
    // The files exactly as WebRtcChat wrote them before schema versions (up to commit 7bdcbc3): user_version 0.
    private const string BansBeforeVersions = """
        PRAGMA journal_mode=WAL;
        CREATE TABLE IF NOT EXISTS bans(address TEXT PRIMARY KEY, until_utc INTEGER NOT NULL, reason TEXT NOT NULL, banned_at_utc INTEGER NOT NULL);
        INSERT INTO bans VALUES ('192.0.2.7', 4102444800000, 'scanner-path', 1764500000000);
        """;

    private const string AuditBeforeVersions = """
        PRAGMA journal_mode=WAL;
        CREATE TABLE IF NOT EXISTS attempts (id INTEGER PRIMARY KEY AUTOINCREMENT, at_utc INTEGER NOT NULL, address TEXT NOT NULL,
            country TEXT, kind TEXT NOT NULL, detail TEXT NOT NULL, count INTEGER NOT NULL DEFAULT 1);
        CREATE INDEX IF NOT EXISTS attempts_at ON attempts(at_utc);
        CREATE INDEX IF NOT EXISTS attempts_kind ON attempts(kind, id);
        CREATE INDEX IF NOT EXISTS attempts_address ON attempts(address, id);
        INSERT INTO attempts (at_utc, address, country, kind, detail, count) VALUES (4102444000000, '192.0.2.8', NULL, 'unknown-path', 'GET /old', 1);
        """;

    private readonly TestConfig _config = TestConfig.Create();

    public SchemaVersionTests() => Directory.CreateDirectory(_config.DataDirectory);

    public void Dispose() => _config.Dispose();

    private string DataFile(string name) => Path.Combine(_config.DataDirectory, name);

    private static void Write(string file, string sql) => SqliteFiles.Execute(file, sql);

    private static long UserVersion(string file) => SqliteFiles.Scalar(file, "PRAGMA user_version;");

    [Fact]
    public void BansFromBeforeSchemaVersionsAreKeptAndTheFileIsMarkedWithTheCurrentVersion()
    {
        Write(DataFile(BanStore.FileName), BansBeforeVersions);

        using (var store = new BanStore(DataFile(BanStore.FileName), TimeProvider.System))
        {
            Assert.True(store.IsBanned(IPAddress.Parse("192.0.2.7"), DateTimeOffset.UtcNow));
        }

        Assert.Equal(BanStore.Migrations.Count, UserVersion(DataFile(BanStore.FileName)));
        using var again = new BanStore(DataFile(BanStore.FileName), TimeProvider.System); // a second start migrates nothing
        Assert.Single(again.Bans);
    }

    [Fact]
    public void AnAuditFromBeforeSchemaVersionsKeepsItsRecords()
    {
        Write(DataFile(AuditLog.FileName), AuditBeforeVersions);
        var settings = new WebRtcChatSettings(new WebRtcChatOptions { Server = new() { DataDirectory = _config.DataDirectory } });

        using (var audit = new AuditLog(settings, TimeProvider.System, NullLogger<AuditLog>.Instance))
        {
            Assert.Equal("GET /old", Assert.Single(audit.Query(null, null, 0, 25).Items).Detail);
        }

        Assert.Equal(AuditLog.Migrations.Count, UserVersion(DataFile(AuditLog.FileName)));
    }

    [Fact]
    public void AFileFromANewerVersionIsRefusedWithAClearErrorAndLeftAsItIs()
    {
        Write(DataFile(BanStore.FileName), BansBeforeVersions + "PRAGMA user_version = 99;");
        var before = File.ReadAllBytes(DataFile(BanStore.FileName));

        var refused = Assert.Throws<InvalidConfigurationException>(() => new BanStore(DataFile(BanStore.FileName), TimeProvider.System));

        Assert.Contains("Server.DataDirectory: ", refused.Message, StringComparison.Ordinal);
        Assert.Contains("newer WebRtcChat (schema 99", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(DataFile(BanStore.FileName)));
    }

    [Fact]
    public async Task TheServerDoesNotStartOnAnAuditFromANewerVersionAndSaysWhy()
    {
        Write(DataFile(AuditLog.FileName), AuditBeforeVersions + "PRAGMA user_version = 7;");

        await using var server = await ServerProcess.StartAsync(_config, waitUntilReady: false);

        Assert.Equal(2, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("audit.db was written by a newer WebRtcChat (schema 7", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", server.Output, StringComparison.Ordinal);
    }
}
