using System.Net;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Server.Configuration;
using WebRtcChat.Server.Geo;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Geo;

public sealed class GeoLocatorTests : IDisposable
{
    private static readonly IPAddress German = IPAddress.Parse(GeoDatabases.GermanAddress);
    private static readonly IPAddress American = IPAddress.Parse(GeoDatabases.AmericanAddress);

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("webrtcchat-geo-");
    private readonly RecordingLogger<GeoLocator> _logger = new();
    private readonly ManualTime _time = new();

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void TheLocatorFindsCountryAndCityForAMappedLoopbackAddress()
    {
        using var locator = Start(Write("city.mmdb", GeoDatabases.City()));

        // Kestrel on a dual-stack socket sees an IPv4 visitor as ::ffff:127.0.0.2.
        Assert.Equal(new GeoResult("DE", "Germany", "Berlin"), locator.Locate(IPAddress.Parse("::ffff:" + GeoDatabases.GermanAddress)));
        Assert.Equal(new GeoResult("DE", "Germany", "Berlin"), locator.Locate(German));
        Assert.Equal(new GeoResult("US", "United States", "New York"), locator.Locate(American));
        Assert.True(locator.IsEnabled);
        Assert.Equal("GeoLite2-City", locator.DatabaseType);
    }

    [Theory]
    [InlineData("GeoLite2-Country", false)]
    [InlineData("DBIP-Country-Lite", false)]
    [InlineData("GeoIP2-Country", false)]
    [InlineData("GeoLite2-City", true)]
    [InlineData("DBIP-City-Lite", true)]
    public void CountryAndCityDatabasesOfMaxMindAndDbIpAllGiveTheCountry(string databaseType, bool hasCities)
    {
        var writer = hasCities ? GeoDatabases.City(databaseType) : GeoDatabases.Country(databaseType);
        using var locator = Start(Write("geo.mmdb", writer));

        Assert.Equal(new GeoResult("US", "United States", hasCities ? "New York" : null), locator.Locate(American));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("10.1.2.3")]
    [InlineData("192.168.0.10")]
    [InlineData("8.8.8.8")]
    [InlineData("2001:db8::1")]
    public void AddressesTheDatabaseDoesNotKnowAreUnknown(string address)
    {
        using var locator = Start(Write("city.mmdb", GeoDatabases.City()));

        Assert.Null(locator.Locate(IPAddress.Parse(address)));
    }

    [Fact]
    public void WithNoDatabaseFileEveryAddressIsUnknown()
    {
        using var locator = Start("");

        Assert.False(locator.IsEnabled);
        Assert.Null(locator.Locate(German));
    }

    [Fact]
    public async Task AReplacedDatabaseFileIsSwappedInWithoutARestart()
    {
        var path = Write("city.mmdb", GeoDatabases.City());
        using var locator = Start(path, TimeProvider.System);
        Assert.Equal("DE", locator.Locate(German)?.CountryCode);

        // As geoipupdate does it: a new file written beside the old one, then renamed over it.
        var moved = new MaxMindDbWriter("GeoLite2-City").Add(GeoDatabases.GermanAddress + "/32", GeoDatabases.Place("FR", 3017382u, "France", "Paris"));
        File.Move(Write("city.mmdb.tmp", moved), path, overwrite: true);

        Assert.True(await Eventually.HoldsAsync(() => locator.Locate(German)?.CountryCode == "FR", TimeSpan.FromSeconds(10)));
        Assert.Equal(new GeoResult("FR", "France", "Paris"), locator.Locate(German));
        Assert.Null(locator.Locate(American));
        Assert.Empty(_logger.Errors);
    }

    [Fact]
    public void ADatabaseRewrittenInPlaceIsReadAgainOnTheNextPoll()
    {
        var path = Write("city.mmdb", GeoDatabases.City());
        using var locator = Start(path);

        Write("city.mmdb", new MaxMindDbWriter("GeoLite2-City").Add(GeoDatabases.AmericanAddress + "/32", GeoDatabases.Place("CA", 6251999u, "Canada", "Toronto")));
        locator.Refresh();

        Assert.Equal(new GeoResult("CA", "Canada", "Toronto"), locator.Locate(American));
        Assert.Null(locator.Locate(German));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("truncated")]
    [InlineData("asn")]
    [InlineData("missing")]
    public void ACorruptReplacementKeepsTheLastGoodDatabase(string damage)
    {
        var path = Write("city.mmdb", GeoDatabases.City());
        using var locator = Start(path);

        Damage(path, damage);
        locator.Refresh();
        locator.Refresh(); // the next poll sees the same bad file: no second error

        Assert.Equal(new GeoResult("DE", "Germany", "Berlin"), locator.Locate(German));
        var error = Assert.Single(_logger.Errors);
        Assert.Contains("Geoblocking.DatabaseFile", error, StringComparison.Ordinal);
        Assert.Contains(path, error, StringComparison.Ordinal);

        // Once the file is good again, it is used.
        Write("city.mmdb", new MaxMindDbWriter("GeoLite2-City").Add(GeoDatabases.GermanAddress + "/32", GeoDatabases.Place("AT", 2782113u, "Austria", "Vienna")));
        locator.Refresh();
        Assert.Equal("AT", locator.Locate(German)?.CountryCode);
    }

    [Fact]
    public void AnotherDatabaseFileNamedByAReloadedConfigurationIsUsedAtOnce()
    {
        var settings = Settings(Write("city.mmdb", GeoDatabases.City()));
        using var locator = new GeoLocator(settings, _logger, _time);
        var other = Write("other.mmdb", new MaxMindDbWriter("GeoLite2-Country").Add(GeoDatabases.GermanAddress + "/32", GeoDatabases.Place("CH", 2658434u, "Switzerland", city: null)));

        settings.Apply(settings.Current with { Geoblocking = settings.Current.Geoblocking with { DatabaseFile = other } });
        Assert.Equal(new GeoResult("CH", "Switzerland", null), locator.Locate(German));

        settings.Apply(settings.Current with { Geoblocking = settings.Current.Geoblocking with { DatabaseFile = Path.Combine(_directory.FullName, "nowhere.mmdb") } });
        Assert.Equal("CH", locator.Locate(German)?.CountryCode);
        Assert.Contains("nowhere.mmdb", Assert.Single(_logger.Errors), StringComparison.Ordinal);

        settings.Apply(settings.Current with { Geoblocking = settings.Current.Geoblocking with { DatabaseFile = "" } });
        Assert.False(locator.IsEnabled);
        Assert.Null(locator.Locate(German));
    }

    [Fact]
    public void AMissingDatabaseAtStartIsAConfigurationErrorNamingTheKey()
    {
        var missing = Path.Combine(_directory.FullName, "GeoLite2-City.mmdb");

        var thrown = Assert.Throws<InvalidConfigurationException>(() => Start(missing));

        var error = Assert.Single(thrown.Errors);
        Assert.StartsWith("Geoblocking.DatabaseFile: ", error, StringComparison.Ordinal);
        Assert.Contains(missing, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("truncated")]
    [InlineData("asn")]
    public void ACorruptDatabaseAtStartIsAConfigurationErrorNamingTheKey(string damage)
    {
        var path = Write("city.mmdb", GeoDatabases.City());
        Damage(path, damage);

        var thrown = Assert.Throws<InvalidConfigurationException>(() => Start(path));

        Assert.StartsWith("Geoblocking.DatabaseFile: ", Assert.Single(thrown.Errors), StringComparison.Ordinal);
    }

    private GeoLocator Start(string databaseFile, TimeProvider? time = null) => new(Settings(databaseFile), _logger, time ?? _time);

    private static WebRtcChatSettings Settings(string databaseFile) =>
        new(new WebRtcChatOptions { Geoblocking = new GeoblockingOptions { DatabaseFile = databaseFile } });

    private string Write(string name, MaxMindDbWriter writer)
    {
        var path = Path.Combine(_directory.FullName, name);
        writer.Write(path);
        return path;
    }

    private void Damage(string path, string how)
    {
        switch (how)
        {
            case "garbage":
                File.WriteAllText(path, "<html>404 Not Found</html>"); // a download that went wrong
                break;
            case "truncated":
                var bytes = File.ReadAllBytes(path);
                File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]); // a copy caught half-way
                break;
            case "asn":
                Write(Path.GetFileName(path), new MaxMindDbWriter("GeoLite2-ASN").Add("127.0.0.2/32", new Dictionary<string, object> { ["autonomous_system_number"] = 3320u }));
                break;
            case "missing":
                File.Delete(path);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(how), how, null);
        }
    }
}
