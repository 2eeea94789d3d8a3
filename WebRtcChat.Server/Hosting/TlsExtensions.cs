using System.Net;
using System.Security.Authentication;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Server.ScanGuard;
using WebRtcChat.Server.Tls;

namespace WebRtcChat.Server.Hosting;

/// <summary>Kestrel listens on the one configured port, HTTPS only, TLS 1.2 or newer, with no Server header.</summary>
public static class TlsExtensions
{
    /// <summary>Registers the certificate provider and the HTTPS endpoint.</summary>
    public static IHostApplicationBuilder AddWebRtcChatTls(this IHostApplicationBuilder builder, WebRtcChatOptions options)
    {
        builder.Services.AddSingleton<CertificateProvider>();
        builder.Services.Configure<KestrelServerOptions>(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            kestrel.Limits.MaxRequestLineSize = 4 * 1024;
            // The only bodies are the circuit's, when WebSockets are blocked (long polling): a few hub messages of up
            // to MaximumReceiveMessageSize each may travel in one POST, and a 413 would be a strike.
            kestrel.Limits.MaxRequestBodySize = 4 * PageExtensions.MaximumReceiveMessageSize;
            var certificates = kestrel.ApplicationServices.GetRequiredService<CertificateProvider>();
            void Https(ListenOptions listen)
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseScanGuard(); // before TLS: banned addresses never get a handshake
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    ClientCertificateMode = ClientCertificateMode.NoCertificate,
                    ServerCertificateSelector = (_, _) => certificates.Current,
                    HandshakeTimeout = TimeSpan.FromSeconds(10),
                });
                listen.UseScanGuardHandshakeMark(); // after TLS: runs only once a handshake succeeded
            }

            var server = options.Server;
            if (server.ListenAddress == "*")
            {
                kestrel.ListenAnyIP(server.Port, Https);
            }
            else
            {
                kestrel.Listen(IPAddress.Parse(server.ListenAddress), server.Port, Https);
            }
        });
        return builder;
    }
}
