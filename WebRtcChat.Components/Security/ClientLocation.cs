namespace WebRtcChat.Components.Security;

/// <summary>Where an address is, as far as the GeoIP database knows.</summary>
/// <param name="CountryCode">ISO 3166 two-letter code, upper case.</param>
/// <param name="CountryName">The country's English name, when the database has it.</param>
/// <param name="City">The city's English name, when the database has it (City databases only).</param>
public sealed record ClientLocation(string CountryCode, string? CountryName, string? City);

/// <summary>Looks up client addresses; answers null for every address when no database is configured.</summary>
public interface IClientLocator
{
    /// <summary>The location of <paramref name="address"/>, or null when unknown (loopback, private, not in the database).</summary>
    ClientLocation? Locate(string address);
}
