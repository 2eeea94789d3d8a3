using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace WebRtcChat.Tests.Infrastructure;

/// <summary>One request as the push service received it.</summary>
public sealed record PushRequest(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body);

/// <summary>
/// A push service on loopback: Kestrel with a certificate of its own for <see cref="Host"/>, answering each endpoint
/// with the status the test set (201 by default) and recording what it received. The server under test reaches it
/// through <see cref="CreateHttpClient"/>: a client whose every connection goes to this loopback port (never to DNS,
/// never off the machine) and which trusts only this certificate. So subscriptions carry real-looking endpoints
/// (<c>https://push.example.test/…</c>, default port, as the production rules demand) and the VAPID audience is
/// that origin.
/// </summary>
public sealed class LoopbackPushService : IAsyncDisposable
{
    /// <summary>The push service's name in endpoints (a reserved test name: nothing resolves it).</summary>
    public const string Host = "push.example.test";

    private readonly WebApplication _app;
    private readonly X509Certificate2 _certificate;
    private readonly ConcurrentDictionary<string, int> _statuses = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<PushRequest> _received = new();

    private LoopbackPushService(WebApplication app, X509Certificate2 certificate)
    {
        (_app, _certificate) = (app, certificate);
    }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; private set; }

    /// <summary>The origin a push service's VAPID audience must be.</summary>
    public static string Origin => "https://" + Host;

    public IReadOnlyList<PushRequest> Received => [.. _received];

    public static async Task<LoopbackPushService> StartAsync()
    {
        var certificate = CreateCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        var service = new LoopbackPushService(app, certificate);
        app.MapPost("/push/{id}", async (HttpContext context, string id) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            service._received.Enqueue(new PushRequest(context.Request.Path.Value ?? "", headers, body.ToArray()));
            context.Response.StatusCode = service._statuses.GetValueOrDefault(id, StatusCodes.Status201Created);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        service.Port = new Uri(address).Port;
        return service;
    }

    /// <summary>An endpoint of this service; <paramref name="id"/> picks the status it will answer.</summary>
    public static string Endpoint(string id) => $"{Origin}/push/{id}";

    /// <summary>Makes the endpoint <paramref name="id"/> answer <paramref name="status"/> from now on.</summary>
    public void Answer(string id, int status) => _statuses[id] = status;

    /// <summary>An HTTP client for the channel: every connection to loopback here, TLS checked against this certificate.</summary>
    public HttpClient CreateHttpClient()
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port), token);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    certificate is not null && certificate.GetCertHashString(HashAlgorithmName.SHA256) == _certificate.GetCertHashString(HashAlgorithmName.SHA256)
                    && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None,
            },
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(15) };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _certificate.Dispose();
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={Host}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(Host);
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>The test's <see cref="IHttpClientFactory"/>: every client reaches this service.</summary>
    public sealed class ClientFactory(LoopbackPushService service) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => service.CreateHttpClient();
    }
}
