using System.Net;
using WebRtcChat.Components.Security;

namespace WebRtcChat.Server.Geo;

/// <summary>The components' view of <see cref="GeoLocator"/>: country and city of a client address, or null.</summary>
public sealed class GeoClientLocator(GeoLocator locator) : IClientLocator
{
    /// <inheritdoc />
    public ClientLocation? Locate(string address) =>
        IPAddress.TryParse(address, out var ip) && locator.Locate(ip) is { } found
            ? new ClientLocation(found.CountryCode, found.CountryName, found.City)
            : null;
}
