using System.Net;
using MaxMind.Db;
using MaxMind.GeoIP2;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Geo;

/// <summary>The fixture writer is only worth something if MaxMind's own readers agree with it.</summary>
public sealed class MaxMindDbWriterTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("webrtcchat-mmdb-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void ACountryDatabaseWrittenByTheTestWriterIsReadByMaxMindsReader()
    {
        var path = Path.Combine(_directory.FullName, "country.mmdb");
        GeoDatabases.Country().Write(path);

        using var reader = new DatabaseReader(path);
        Assert.Equal("GeoLite2-Country", reader.Metadata.DatabaseType);
        Assert.Equal(2, reader.Metadata.BinaryFormatMajorVersion);
        Assert.Equal(0, reader.Metadata.BinaryFormatMinorVersion);
        Assert.Equal(6, reader.Metadata.IPVersion);
        Assert.Equal(["en"], reader.Metadata.Languages);
        Assert.Contains("GeoLite2-Country", reader.Metadata.Description["en"], StringComparison.Ordinal);
        Assert.Equal(new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc), reader.Metadata.BuildDate);

        Assert.True(reader.TryCountry(IPAddress.Parse(GeoDatabases.GermanAddress), out var german));
        Assert.Equal(("DE", "Germany", 2921044L), (german!.Country.IsoCode, german.Country.Name, german.Country.GeoNameId));
        Assert.Equal("DE", german.RegisteredCountry.IsoCode);
        Assert.True(reader.TryCountry(IPAddress.Parse(GeoDatabases.AmericanAddress), out var american));
        Assert.Equal("US", american!.Country.IsoCode);
        Assert.False(reader.TryCountry(IPAddress.Parse("127.0.0.1"), out _));
        Assert.False(reader.TryCountry(IPAddress.Parse("8.8.8.8"), out _));
    }

    [Fact]
    public void ACityDatabaseWrittenByTheTestWriterIsReadByMaxMindsReader()
    {
        var path = Path.Combine(_directory.FullName, "city.mmdb");
        GeoDatabases.City().Write(path);

        using var reader = new DatabaseReader(path);
        Assert.True(reader.TryCity(IPAddress.Parse(GeoDatabases.GermanAddress), out var german));
        Assert.Equal(("DE", "Germany", "Berlin"), (german!.Country.IsoCode, german.Country.Name, german.City.Name));
        Assert.True(reader.TryCity(IPAddress.Parse(GeoDatabases.AmericanAddress), out var american));
        Assert.Equal(("US", "New York"), (american!.Country.IsoCode, american.City.Name));
    }

    [Fact]
    public void IPv6NetworksAndWiderIPv4NetworksAreFoundAnywhereInside()
    {
        var path = Path.Combine(_directory.FullName, "networks.mmdb");
        new MaxMindDbWriter("GeoLite2-Country")
            .Add("2001:db8::/32", GeoDatabases.Place("NL", 2750405u, "Netherlands", city: null))
            .Add("192.0.2.0/24", GeoDatabases.Place("FR", 3017382u, "France", city: null))
            .Write(path);

        using var reader = new DatabaseReader(path);
        Assert.True(reader.TryCountry(IPAddress.Parse("2001:db8:1234::5"), out var dutch));
        Assert.Equal("NL", dutch!.Country.IsoCode);
        Assert.True(reader.TryCountry(IPAddress.Parse("192.0.2.77"), out var french));
        Assert.Equal("FR", french!.Country.IsoCode);
        Assert.False(reader.TryCountry(IPAddress.Parse("2001:db9::1"), out _));
        Assert.False(reader.TryCountry(IPAddress.Parse("192.0.3.1"), out _));
    }

    [Fact]
    public void EveryDataTypeAndSizeEncodingRoundTripsThroughMaxMindsReader()
    {
        var path = Path.Combine(_directory.FullName, "types.mmdb");
        var medium = new string('m', 200); // size 29 + one byte
        var large = new string('l', 1000); // size 30 + two bytes
        var huge = new string('h', 70_000); // size 31 + three bytes
        new MaxMindDbWriter("Test-Types")
            .Add("198.51.100.0/24", new Dictionary<string, object>
            {
                ["utf8"] = "Zürich",
                ["medium"] = medium,
                ["large"] = large,
                ["huge"] = huge,
                ["uint16"] = (ushort)65535,
                ["uint32"] = 4_000_000_000u,
                ["uint64"] = ulong.MaxValue,
                ["zero"] = 0u,
                ["int32"] = -42,
                ["double"] = 52.52,
                ["float"] = 1.5f,
                ["true"] = true,
                ["false"] = false,
                ["bytes"] = new byte[] { 1, 2, 3 },
                ["array"] = new object[] { "a", 7u },
                ["map"] = new Dictionary<string, object> { ["nested"] = "yes" },
            })
            .Write(path);

        using var reader = new Reader(path);
        var record = reader.Find<Dictionary<string, object>>(IPAddress.Parse("198.51.100.9"));
        Assert.NotNull(record);
        Assert.Equal("Zürich", record["utf8"]);
        Assert.Equal(medium, record["medium"]);
        Assert.Equal(large, record["large"]);
        Assert.Equal(huge, record["huge"]);
        Assert.Equal(65535, Convert.ToInt64(record["uint16"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(4_000_000_000L, Convert.ToInt64(record["uint32"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(ulong.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), Convert.ToString(record["uint64"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0L, Convert.ToInt64(record["zero"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(-42, record["int32"]);
        Assert.Equal(52.52, record["double"]);
        Assert.Equal(1.5f, record["float"]);
        Assert.Equal(true, record["true"]);
        Assert.Equal(false, record["false"]);
        Assert.Equal(new byte[] { 1, 2, 3 }, record["bytes"]);
        var array = Assert.IsAssignableFrom<System.Collections.IList>(record["array"]);
        Assert.Equal("a", array[0]);
        Assert.Equal(7L, Convert.ToInt64(array[1], System.Globalization.CultureInfo.InvariantCulture));
        var map = Assert.IsAssignableFrom<IDictionary<string, object>>(record["map"]);
        Assert.Equal("yes", map["nested"]);
    }
}
