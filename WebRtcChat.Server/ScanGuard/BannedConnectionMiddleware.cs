using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace WebRtcChat.Server.ScanGuard;

/// <summary>
/// Kestrel connection middleware that drops a banned address's connection at accept, before TLS, with no answer at
/// all: a banned scanner learns nothing, and costs no handshake. Refusals are counted per address rather than
/// logged one by one, because a banned scanner keeps knocking and each line would say the same.
/// </summary>
public sealed class BannedConnectionMiddleware(ScanGuard guard)
{
    private readonly ConcurrentDictionary<IPAddress, long> _refused = new();

    /// <summary>How many connections each banned address had refused since start (for the audit).</summary>
    public IReadOnlyDictionary<IPAddress, long> RefusedConnections => _refused;

    /// <summary>The middleware, as <c>ListenOptions.Use</c> takes it.</summary>
    public ConnectionDelegate Wrap(ConnectionDelegate next) => context =>
    {
        if (context.RemoteEndPoint is IPEndPoint remote && guard.IsBanned(remote.Address))
        {
            var address = BanStore.Normalize(remote.Address);
            // Bounded like the bans themselves: only banned addresses get a counter.
            _refused.AddOrUpdate(address, 1, (_, count) => count + 1);
            context.Abort();
            return Task.CompletedTask;
        }

        return next(context);
    };
}

/// <summary>Installs <see cref="BannedConnectionMiddleware"/> on a Kestrel endpoint.</summary>
public static class ScanGuardListenOptionsExtensions
{
    /// <summary>
    /// Drops connections from banned addresses at accept. Call it before <c>UseHttps</c>, so that the check comes
    /// before the TLS handshake. Needs <see cref="ScanGuard"/> and <see cref="BannedConnectionMiddleware"/> registered.
    /// </summary>
    public static ListenOptions UseScanGuard(this ListenOptions listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        var middleware = listen.ApplicationServices.GetRequiredService<BannedConnectionMiddleware>();
        listen.Use(middleware.Wrap);
        return listen;
    }
}
