using System.Net;
using System.Text.Json.Nodes;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Defences;

public sealed class GeoblockingServerTests
{
    private static readonly IPAddress German = IPAddress.Parse(GeoDatabases.GermanAddress);
    private static readonly IPAddress American = IPAddress.Parse(GeoDatabases.AmericanAddress);

    private static TestConfig Config(out string database)
    {
        var config = TestConfig.Create(configure: json => json["Geoblocking"] = new JsonObject
        {
            ["DatabaseFile"] = "GeoLite2-City.mmdb",
            ["AllowedCountries"] = new JsonArray("DE"),
            ["AllowUnknownAddresses"] = true,
        });
        database = Path.Combine(config.DirectoryPath, "GeoLite2-City.mmdb");
        GeoDatabases.City().Write(database);
        return config;
    }

    [Fact]
    public async Task AnAllowedCountryGetsInAndABlockedOneGetsThe404AndAnAuditRecordButNoStrike()
    {
        using var config = Config(out _);
        await using var server = await ServerProcess.StartAsync(config);
        using var german = server.CreateClient(German);
        using var american = server.CreateClient(American);
        using var local = server.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await german.GetAsync("")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await local.GetAsync("")).StatusCode); // unknown addresses allowed
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await american.GetAsync(i == 0 ? "" : TestConfig.AliceConsolePath.TrimStart('/'))).StatusCode);
        }

        Assert.True(await server.TlsHandshakeSucceedsAsync(American)); // a traveller is not banned
        Assert.DoesNotContain("ScanGuard strike ip=127.0.0.3", server.Output, StringComparison.Ordinal);
        // One record for the five, counted up (repeats of a kind that is never a strike are coalesced).
        var row = Assert.Single(AuditRecords.Read(config, "geoblocked"));
        Assert.Equal(("127.0.0.3", "US"), (row.Address, row.Country));
        Assert.True(await Eventually.HoldsAsync(() => AuditRecords.Read(config, "geoblocked").Single().Count == 5, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task AReplacedDatabaseTakesEffectWithoutARestart()
    {
        using var config = Config(out var database);
        await using var server = await ServerProcess.StartAsync(config);
        using var american = server.CreateClient(American);
        Assert.Equal(HttpStatusCode.NotFound, (await american.GetAsync("")).StatusCode);

        // geoipupdate writes a new file and renames it over the old one.
        new MaxMindDbWriter("GeoLite2-City")
            .Add(GeoDatabases.AmericanAddress + "/32", GeoDatabases.Place("DE", 2921044u, "Germany", "Munich"))
            .Write(database + ".new");
        File.Move(database + ".new", database, overwrite: true);

        Assert.True(await Eventually.HoldsAsync(async () => (await american.GetAsync("")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task WithUnknownAddressesRefusedEvenLoopbackGetsThe404()
    {
        using var config = Config(out _);
        config.Json["Geoblocking"]!["AllowUnknownAddresses"] = false;
        config.Save();
        await using var server = await ServerProcess.StartAsync(config);

        Assert.Equal(HttpStatusCode.NotFound, (await server.CreateClient().GetAsync("")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.CreateClient(German).GetAsync("")).StatusCode);
    }

    [Fact]
    public async Task AMissingDatabaseIsAStartUpErrorNamingTheKey()
    {
        using var config = Config(out var database);
        File.Delete(database);
        await using var server = await ServerProcess.StartAsync(config, waitUntilReady: false);

        Assert.NotEqual(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Geoblocking.DatabaseFile", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", server.Output, StringComparison.Ordinal);
    }
}
