using WebRtcChat.Components.Configuration;
using WebRtcChat.Server.Configuration;
using WebRtcChat.Server.ScanGuard;

namespace WebRtcChat.Server.Hosting;

/// <summary>The scan ban: the ban store in the data directory, the guard, and the connection middleware.</summary>
public static class ScanGuardExtensions
{
    /// <summary>
    /// Registers <see cref="BanStore"/>, <see cref="ScanGuard.ScanGuard"/> and <see cref="BannedConnectionMiddleware"/>.
    /// The endpoint still needs <see cref="ScanGuardListenOptionsExtensions.UseScanGuard"/> before <c>UseHttps</c>.
    /// </summary>
    public static IHostApplicationBuilder AddWebRtcChatScanGuard(this IHostApplicationBuilder builder)
    {
        // The database stays where the data directory was at start; moving the data directory needs a restart anyway.
        builder.Services.AddSingleton(sp => new BanStore(
            Path.Combine(DataDirectory.Ensure(sp.GetRequiredService<WebRtcChatSettings>().Current.Server.DataDirectory), BanStore.FileName),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<BanStore>>()));
        builder.Services.AddSingleton<ScanGuard.ScanGuard>();
        builder.Services.AddSingleton<BannedConnectionMiddleware>();
        return builder;
    }
}
