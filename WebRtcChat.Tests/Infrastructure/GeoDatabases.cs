namespace WebRtcChat.Tests.Infrastructure;

/// <summary>
/// GeoIP fixtures on loopback addresses the tests can connect from: 127.0.0.2 is in Germany (Berlin) and 127.0.0.3
/// in the United States (New York); everything else, 127.0.0.1 included, is unknown.
/// </summary>
public static class GeoDatabases
{
    public const string GermanAddress = "127.0.0.2";
    public const string AmericanAddress = "127.0.0.3";

    public static MaxMindDbWriter City(string databaseType = "GeoLite2-City") => new MaxMindDbWriter(databaseType)
        .Add(GermanAddress + "/32", Place("DE", 2921044u, "Germany", "Berlin"))
        .Add(AmericanAddress + "/32", Place("US", 6252001u, "United States", "New York"));

    public static MaxMindDbWriter Country(string databaseType = "GeoLite2-Country") => new MaxMindDbWriter(databaseType)
        .Add(GermanAddress + "/32", Place("DE", 2921044u, "Germany", city: null))
        .Add(AmericanAddress + "/32", Place("US", 6252001u, "United States", city: null));

    /// <summary>A record shaped like GeoLite2's: <c>country</c> and <c>registered_country</c>, and <c>city</c> when given.</summary>
    public static Dictionary<string, object> Place(string isoCode, uint geonameId, string countryName, string? city)
    {
        Dictionary<string, object> Country() => new()
        {
            ["geoname_id"] = geonameId,
            ["iso_code"] = isoCode,
            ["names"] = new Dictionary<string, object> { ["en"] = countryName },
        };

        var record = new Dictionary<string, object> { ["country"] = Country(), ["registered_country"] = Country() };
        if (city is not null)
        {
            record["city"] = new Dictionary<string, object> { ["names"] = new Dictionary<string, object> { ["en"] = city } };
        }

        return record;
    }
}
