using System.Net;
using WebRtcChat.Components.Configuration;

namespace WebRtcChat.Server.Geo;

/// <summary>
/// The country whitelist: <c>Geoblocking.AllowedCountries</c> for everyone, narrowed for one host's visitors by that
/// host's <c>AllowedCountries</c>. Country codes are compared case-insensitively.
/// </summary>
public static class GeoPolicy
{
    /// <summary>Whether a visitor at <paramref name="address"/>, found at <paramref name="location"/>, may reach <paramref name="host"/>.</summary>
    /// <param name="geo">The <c>Geoblocking</c> section in force.</param>
    /// <param name="host">The host the visitor asks for, or null when the visitor names none.</param>
    /// <param name="location">What <see cref="GeoLocator.Locate"/> said; null means the database does not know the address.</param>
    /// <param name="address">
    /// The visitor's address. The decision does not depend on it beyond <paramref name="location"/> (a null location
    /// already covers loopback and private ranges); it is part of the signature for the callers' logging.
    /// </param>
    public static bool IsAllowed(GeoblockingOptions geo, AdministratorOptions? host, GeoResult? location, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(geo);
        ArgumentNullException.ThrowIfNull(address);

        // Unknown addresses cannot be matched against any list, so they get their own switch for both levels.
        if (location is null)
        {
            return geo.AllowUnknownAddresses;
        }

        var globallyAllowed = geo.AllowedCountries.Count == 0 || Contains(geo.AllowedCountries, location.CountryCode);
        var hostAllowed = host?.AllowedCountries is not { } narrowed || Contains(narrowed, location.CountryCode);
        return globallyAllowed && hostAllowed;
    }

    private static bool Contains(IReadOnlyList<string> countries, string code) =>
        countries.Contains(code, StringComparer.OrdinalIgnoreCase);
}
