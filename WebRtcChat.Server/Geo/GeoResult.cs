namespace WebRtcChat.Server.Geo;

/// <summary>Where an address is, as far as the database knows.</summary>
/// <param name="CountryCode">The ISO 3166 two-letter code, upper case, e.g. <c>DE</c>.</param>
/// <param name="CountryName">The English country name, when the database has one.</param>
/// <param name="City">The English city name; only City databases have it.</param>
public sealed record GeoResult(string CountryCode, string? CountryName, string? City);
