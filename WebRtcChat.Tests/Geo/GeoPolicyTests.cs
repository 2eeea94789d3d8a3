using System.Net;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Server.Geo;

namespace WebRtcChat.Tests.Geo;

public sealed class GeoPolicyTests
{
    private static readonly IPAddress Visitor = IPAddress.Parse("127.0.0.2");

    /// <param name="allowed">Geoblocking.AllowedCountries, comma-separated; "" is the empty list.</param>
    /// <param name="unknownAllowed">Geoblocking.AllowUnknownAddresses.</param>
    /// <param name="hostAllowed">The host's AllowedCountries; null is no narrowing, "" the empty list.</param>
    /// <param name="country">Where the visitor is; null is an address the database does not know.</param>
    [Theory]
    // No lists: everyone known is in; unknown addresses follow their switch.
    [InlineData("", true, null, "DE", true)]
    [InlineData("", false, null, "DE", true)]
    [InlineData("", true, null, null, true)]
    [InlineData("", false, null, null, false)]
    // The global list.
    [InlineData("DE,AT", true, null, "DE", true)]
    [InlineData("DE,AT", true, null, "US", false)]
    [InlineData("DE,AT", true, null, null, true)]
    [InlineData("DE,AT", false, null, null, false)]
    // Codes match whatever their case.
    [InlineData("de", true, null, "DE", true)]
    [InlineData("DE", true, null, "de", true)]
    [InlineData("DE", true, "at,de", "DE", true)]
    // A host narrows the global list: the country must be in both.
    [InlineData("DE,AT", true, "DE", "DE", true)]
    [InlineData("DE,AT", true, "DE", "AT", false)]
    [InlineData("DE,AT", true, "US", "US", false)]
    // A host's list alone, when the global list is empty.
    [InlineData("", true, "DE", "DE", true)]
    [InlineData("", true, "DE", "US", false)]
    // An empty host list lets no known country in; unknown addresses still follow the global switch.
    [InlineData("", true, "", "DE", false)]
    [InlineData("", true, "", null, true)]
    [InlineData("DE", false, "US", null, false)]
    public void CountriesAreAllowedByTheGlobalListNarrowedByTheHostsList(string allowed, bool unknownAllowed, string? hostAllowed, string? country, bool expected)
    {
        var geo = new GeoblockingOptions { DatabaseFile = "geo.mmdb", AllowedCountries = Split(allowed), AllowUnknownAddresses = unknownAllowed };
        var host = new AdministratorOptions { Name = "alice", ConsolePath = "/desk-alice", AllowedCountries = hostAllowed is null ? null : Split(hostAllowed) };
        var location = country is null ? null : new GeoResult(country, null, null);

        Assert.Equal(expected, GeoPolicy.IsAllowed(geo, host, location, Visitor));
    }

    [Theory]
    [InlineData("DE", true)]
    [InlineData("US", false)]
    public void AVisitorWhoNamesNoHostIsJudgedByTheGlobalListAlone(string country, bool expected)
    {
        var geo = new GeoblockingOptions { DatabaseFile = "geo.mmdb", AllowedCountries = ["DE"] };

        Assert.Equal(expected, GeoPolicy.IsAllowed(geo, host: null, new GeoResult(country, null, null), Visitor));
    }

    private static string[] Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
