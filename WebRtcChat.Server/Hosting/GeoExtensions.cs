using WebRtcChat.Server.Geo;

namespace WebRtcChat.Server.Hosting;

/// <summary>The GeoIP database behind geoblocking and the country and city shown in the consoles.</summary>
public static class GeoExtensions
{
    /// <summary>Registers the <see cref="GeoLocator"/> singleton (it needs <c>WebRtcChatSettings</c> and a <see cref="TimeProvider"/>).</summary>
    public static IHostApplicationBuilder AddWebRtcChatGeo(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<GeoLocator>();
        return builder;
    }
}
