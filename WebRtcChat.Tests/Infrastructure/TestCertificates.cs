using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WebRtcChat.Tests.Infrastructure;

/// <summary>A self-signed certificate for localhost and 127.0.0.1, made in the test, for TLS receivers on loopback.</summary>
public static class TestCertificates
{
    private static readonly Lazy<X509Certificate2> Shared = new(Create);

    public static X509Certificate2 Localhost => Shared.Value;

    private static X509Certificate2 Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        // Exported and read back: SslStream on Linux needs a certificate whose key it can use as a server's.
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Accepts exactly this certificate (as a pinned trust, in place of the system's roots).</summary>
    public static bool IsLocalhost(X509Certificate? presented) =>
        presented is not null && presented.GetCertHashString(HashAlgorithmName.SHA256) == Localhost.GetCertHashString(HashAlgorithmName.SHA256);
}
