using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using WebRtcChat.Components.Security;
using WebRtcChat.Server.Audit;
using WebRtcChat.Server.Tls;

namespace WebRtcChat.Server.ScanGuard;

/// <summary>
/// Kestrel connection middleware in front of TLS. A banned address's connection is dropped at accept with no answer
/// at all (counted for the audit, not logged one by one, because a banned scanner keeps knocking). For everyone
/// else it peeks at the first byte without consuming it: anything that is not a TLS handshake (plain HTTP, say) is a
/// strike and gets the connection closed. A TLS handshake that then fails is a strike too, except while the
/// certificate is one every browser refuses until its user accepts it (the generated self-signed one, or an expired
/// one).
/// </summary>
public sealed class BannedConnectionMiddleware(ScanGuard guard, AuditLog audit, IFailedAttemptSink attempts, CertificateProvider certificates)
{
    private const byte TlsHandshakeRecord = 0x16;

    /// <summary>How long a new connection may stay silent before it is closed.</summary>
    public static readonly TimeSpan FirstByteTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The middleware, as <c>ListenOptions.Use</c> takes it.</summary>
    public ConnectionDelegate Wrap(ConnectionDelegate next) => async context =>
    {
        if (context.RemoteEndPoint is not IPEndPoint remote)
        {
            await next(context);
            return;
        }

        var address = Security.NetworkList.Normalize(remote.Address);
        if (guard.IsBanned(address))
        {
            audit.CountBannedConnection(address.ToString());
            context.Abort();
            return;
        }

        var input = context.Transport.Input;
        System.IO.Pipelines.ReadResult read;
        using (var firstByte = CancellationTokenSource.CreateLinkedTokenSource(context.ConnectionClosed))
        {
            // TLS's own handshake timeout starts only once UseHttps runs; an idle socket must not wait forever here.
            firstByte.CancelAfter(FirstByteTimeout);
            try
            {
                read = await input.ReadAsync(firstByte.Token);
            }
            catch (OperationCanceledException)
            {
                context.Abort();
                return;
            }
        }

        var buffer = read.Buffer;
        if (buffer.IsEmpty)
        {
            input.AdvanceTo(buffer.Start);
            return; // connected and went away without a word: not worth a strike
        }

        var first = buffer.FirstSpan[0];
        input.AdvanceTo(buffer.Start); // nothing consumed, nothing examined: TLS reads the same bytes at once
        if (first != TlsHandshakeRecord)
        {
            attempts.Report(AttemptKinds.PlainHttp, address.ToString(), first is >= 0x20 and < 0x7F ? $"starts with '{(char)first}'" : $"starts with 0x{first:x2}");
            context.Abort();
            return;
        }

        var handshake = new HandshakeOutcome();
        context.Features.Set(handshake);
        await next(context);

        if (!handshake.Succeeded && !certificates.BrowsersRefuseIt)
        {
            attempts.Report(AttemptKinds.TlsHandshake, address.ToString(), "TLS handshake failed");
        }
    };

    /// <summary>The part after <c>UseHttps</c>: Kestrel runs it only once a handshake has succeeded.</summary>
    public static ConnectionDelegate MarkHandshake(ConnectionDelegate next) => context =>
    {
        if (context.Features.Get<HandshakeOutcome>() is { } handshake)
        {
            handshake.Succeeded = true;
        }

        return next(context);
    };

    /// <summary>Set on each connection before TLS, and marked by <see cref="MarkHandshake"/> after it.</summary>
    private sealed class HandshakeOutcome
    {
        public bool Succeeded { get; set; }
    }
}

/// <summary>Installs <see cref="BannedConnectionMiddleware"/> on a Kestrel endpoint.</summary>
public static class ScanGuardListenOptionsExtensions
{
    /// <summary>
    /// Drops connections from banned addresses at accept and strikes what is not TLS. Call it before <c>UseHttps</c>,
    /// so that the check comes before the TLS handshake.
    /// </summary>
    public static ListenOptions UseScanGuard(this ListenOptions listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        var middleware = listen.ApplicationServices.GetRequiredService<BannedConnectionMiddleware>();
        listen.Use(middleware.Wrap);
        return listen;
    }

    /// <summary>Call it after <c>UseHttps</c>: it tells the guard that the handshake succeeded.</summary>
    public static ListenOptions UseScanGuardHandshakeMark(this ListenOptions listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        listen.Use(BannedConnectionMiddleware.MarkHandshake);
        return listen;
    }
}
