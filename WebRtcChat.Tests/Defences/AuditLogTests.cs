using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Security;
using WebRtcChat.Server.Audit;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Defences;

public sealed class AuditLogTests : IDisposable
{
    private readonly TestConfig _config = TestConfig.Create();
    private readonly ManualTime _time = new();
    private readonly WebRtcChatSettings _settings;
    private readonly AuditLog _audit;

    public AuditLogTests()
    {
        _settings = new WebRtcChatSettings(new WebRtcChatOptions { Server = new() { DataDirectory = _config.DataDirectory } });
        _audit = new AuditLog(_settings, _time, NullLogger<AuditLog>.Instance);
    }

    public void Dispose()
    {
        _audit.Dispose();
        _config.Dispose();
    }

    [Fact]
    public void PagesComeNewestFirstAndFilterByKindAndAddress()
    {
        for (var i = 0; i < 30; i++)
        {
            _audit.Add(i % 3 == 0 ? AttemptKinds.WrongConsolePath : AttemptKinds.UnknownPath, $"192.0.2.{i % 2}", i % 2 == 0 ? "DE" : null, $"GET /p{i}");
        }

        var first = _audit.Query(null, null, 0, 25);
        Assert.Equal(30, first.Total);
        Assert.Equal(25, first.Items.Count);
        Assert.Equal("GET /p29", first.Items[0].Detail);
        Assert.Equal(5, _audit.Query(null, null, 1, 25).Items.Count);
        Assert.Equal(10, _audit.Query(AttemptKinds.WrongConsolePath, null, 0, 25).Total);
        Assert.Equal(15, _audit.Query(null, "192.0.2.1", 0, 25).Total);
        Assert.Equal(5, _audit.Query(AttemptKinds.WrongConsolePath, "192.0.2.0", 0, 25).Total);
        Assert.Equal("DE", _audit.Query(null, "192.0.2.0", 0, 1).Items[0].Country);
    }

    [Fact]
    public void PastTheCapEachNewRecordPushesOutTheOldest()
    {
        using var capped = new AuditLog(_settings, _time, NullLogger<AuditLog>.Instance, maxRecords: 10);
        for (var i = 0; i < 25; i++)
        {
            capped.Add(AttemptKinds.UnknownPath, "192.0.2.1", null, $"GET /p{i}");
        }

        var page = capped.Query(null, null, 0, 25);
        Assert.Equal(10, page.Total);
        Assert.Equal(Enumerable.Range(15, 10).Reverse().Select(i => $"GET /p{i}"), page.Items.Select(r => r.Detail));
    }

    [Fact]
    public void RepeatsOfAnAttemptThatIsNotAStrikeCountUpOneRecordPerClient()
    {
        for (var i = 0; i < 20; i++)
        {
            _audit.Add(AttemptKinds.UnknownPath, $"2001:db8:1:2::{i + 1:x}", null, $"HEAD /{i}", coalesce: true); // one /64
        }

        _audit.Add(AttemptKinds.UnknownPath, "2001:db8:1:2::99", null, "GET /probe"); // a strike is still its own record
        _audit.FlushBannedConnections();

        var records = _audit.Query(AttemptKinds.UnknownPath, null, 0, 25).Items;
        Assert.Equal([1, 20], records.Select(r => r.Count));
    }

    [Fact]
    public void ConnectionsFromABannedIpv6NetworkAreCountedPerClientAndPastTheCapTogether()
    {
        for (var i = 0; i < 100; i++)
        {
            _audit.CountBannedConnection($"2001:db8:1:2::{i + 1:x}"); // rotating through one /64
        }

        for (var i = 0; i < AuditLog.MaxCountedClients + 5; i++)
        {
            _audit.CountBannedConnection($"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}");
        }

        _audit.FlushBannedConnections();

        var records = _audit.Query(AttemptKinds.BannedConnection, null, 0, 200);
        Assert.Equal(AuditLog.MaxCountedClients + 1, records.Total);
        Assert.Equal(100, Assert.Single(_audit.Query(AttemptKinds.BannedConnection, "2001:db8:1:2::", 0, 1).Items).Count);
        Assert.Equal(6, Assert.Single(_audit.Query(AttemptKinds.BannedConnection, AuditLog.ManyClients, 0, 1).Items).Count);
    }

    [Fact]
    public void ConnectionsFromABannedAddressAreCountedNotRecordedOneByOne()
    {
        for (var i = 0; i < 500; i++)
        {
            _audit.CountBannedConnection("203.0.113.7");
        }

        _audit.FlushBannedConnections();

        var record = Assert.Single(_audit.Query(AttemptKinds.BannedConnection, null, 0, 25).Items);
        Assert.Equal(("203.0.113.7", 500), (record.Address, record.Count));
    }

    [Fact]
    public void RepeatsOfAKindThatIsNeverAStrikeCountUpOneRecordPerMinute()
    {
        for (var i = 0; i < 50; i++)
        {
            _audit.Add(AttemptKinds.Geoblocked, "203.0.113.7", "US", $"GET /{i}");
        }

        _audit.Add(AttemptKinds.UnknownPath, "203.0.113.7", "US", "GET /x"); // strike kinds are recorded one by one
        _audit.FlushBannedConnections();
        var geoblocked = Assert.Single(_audit.Query(AttemptKinds.Geoblocked, null, 0, 25).Items);
        Assert.Equal(50, geoblocked.Count);

        _time.Advance(AuditLog.CoalesceWindow);
        _audit.FlushBannedConnections();
        _audit.Add(AttemptKinds.Geoblocked, "203.0.113.7", "US", "GET /later");
        Assert.Equal(2, _audit.Query(AttemptKinds.Geoblocked, null, 0, 25).Total);
    }

    [Fact]
    public void RetentionRemovesRecordsOlderThanTheConfiguredDays()
    {
        _settings.Apply(_settings.Current with { Audit = new AuditOptions { RetentionDays = 7 } });
        _audit.Add(AttemptKinds.UnknownPath, "192.0.2.1", null, "old");
        _time.Advance(TimeSpan.FromDays(5));
        _audit.Add(AttemptKinds.UnknownPath, "192.0.2.1", null, "recent");
        _time.Advance(TimeSpan.FromDays(3));

        Assert.Equal(1, _audit.ApplyRetention());

        Assert.Equal(["recent"], _audit.Query(null, null, 0, 25).Items.Select(i => i.Detail));
    }

    [Fact]
    public void DetailsAreKeptToOneBoundedLine()
    {
        _audit.Add(AttemptKinds.UnknownPath, "192.0.2.1", null, "GET /a\r\nInjected: header" + new string('x', 500));

        var detail = _audit.Query(null, null, 0, 1).Items[0].Detail;
        Assert.DoesNotContain('\n', detail);
        Assert.True(detail.Length <= 201);
    }

    [Fact]
    public void SubscribersHearOfNewRecords()
    {
        var heard = 0;
        using var subscription = _audit.Subscribe(() => heard++);

        _audit.Add(AttemptKinds.LobbyFull, "192.0.2.1", null, "Bob");

        Assert.Equal(1, heard);
    }
}

public sealed class AuditDurabilityTests
{
    [Fact]
    public async Task FailedAttemptsSurviveAKillNineAndARestart()
    {
        using var config = TestConfig.Create(configure: json => json["ScanGuard"] = new JsonObject { ["NeverBan"] = new JsonArray("127.0.0.1") });
        await using (var server = await ServerProcess.StartAsync(config))
        {
            using var client = server.CreateClient();
            await client.GetAsync("nope");
            await client.GetAsync("desk-7Qf2-wrong");
            server.Kill(); // SIGKILL: no shutdown, no flush
        }

        var rows = AuditRecords.Read(config);
        Assert.Contains(rows, r => r.Kind == "unknown-path" && r.Detail == "GET /nope");
        Assert.Contains(rows, r => r.Kind == "wrong-console-path" && r.Detail == "GET /desk-7Qf2-wrong");

        await using (var restarted = await ServerProcess.StartAsync(config))
        {
            await restarted.CreateClient().GetAsync("again");
        }

        Assert.Equal(3, AuditRecords.Read(config).Count);
    }
}
