using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Server.Tls;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Tls;

public sealed class CertificateRefusalTests : IDisposable
{
    private readonly TestConfig _config = TestConfig.Create();
    private readonly ManualTime _time = new();

    public void Dispose() => _config.Dispose();

    private CertificateProvider Provider(DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=configured", key, HashAlgorithmName.SHA256).CreateSelfSigned(notBefore, notAfter);
        var certificateFile = Path.Combine(_config.DirectoryPath, "fullchain.pem");
        var keyFile = Path.Combine(_config.DirectoryPath, "privkey.pem");
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        var server = new ServerOptions { DataDirectory = _config.DataDirectory, CertificateFile = certificateFile, KeyFile = keyFile };
        return new CertificateProvider(new WebRtcChatSettings(new WebRtcChatOptions { Server = server }), NullLogger<CertificateProvider>.Instance, _time);
    }

    [Fact]
    public void AConfiguredCertificateIsRefusedByBrowsersOnlyOutsideItsValidity()
    {
        var now = _time.GetUtcNow();
        using var provider = Provider(now.AddDays(-1), now.AddDays(1));

        Assert.False(provider.BrowsersRefuseIt); // its failed handshakes are strikes
        _time.Advance(TimeSpan.FromDays(2));     // a renewal failed: every browser now refuses it
        Assert.True(provider.BrowsersRefuseIt);
    }

    [Fact]
    public void TheGeneratedSelfSignedCertificateIsAlwaysRefusedByBrowsersAtFirst()
    {
        var server = new ServerOptions { DataDirectory = _config.DataDirectory };
        using var provider = new CertificateProvider(new WebRtcChatSettings(new WebRtcChatOptions { Server = server }), NullLogger<CertificateProvider>.Instance, _time);

        Assert.True(provider.BrowsersRefuseIt);
    }
}
