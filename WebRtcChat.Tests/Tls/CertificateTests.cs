using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using WebRtcChat.Server.Tls;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Tls;

public sealed class CertificateTests
{
    [Fact]
    public async Task ASelfSignedCertificateIsGeneratedOnceAndReusedAfterARestart()
    {
        using var config = TestConfig.Create();
        string firstFingerprint;
        await using (var server = await ServerProcess.StartAsync(config))
        {
            var presented = await server.GetServerCertificateAsync();
            firstFingerprint = CertificateProvider.FingerprintOf(presented);
            Assert.Contains("Certificate SHA-256:  " + firstFingerprint, server.Output, StringComparison.Ordinal);
            Assert.NotNull(presented.GetECDsaPublicKey());
            var names = presented.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
            Assert.Contains("localhost", names.EnumerateDnsNames());
            Assert.Contains(Dns.GetHostName(), names.EnumerateDnsNames());
        }

        await using (var again = await ServerProcess.StartAsync(config))
        {
            Assert.Equal(firstFingerprint, CertificateProvider.FingerprintOf(await again.GetServerCertificateAsync()));
        }
    }

    [Fact]
    public async Task AReplacedPemPairBehindCertbotStyleSymlinksIsServedWithoutARestart()
    {
        using var config = TestConfig.Create();
        var archive = Directory.CreateDirectory(Path.Combine(config.DirectoryPath, "archive")).FullName;
        var live = Directory.CreateDirectory(Path.Combine(config.DirectoryPath, "live")).FullName;
        var first = WritePair(archive, 1);
        var second = WritePair(archive, 2);
        File.CreateSymbolicLink(Path.Combine(live, "fullchain.pem"), Path.Combine(archive, "fullchain1.pem"));
        File.CreateSymbolicLink(Path.Combine(live, "privkey.pem"), Path.Combine(archive, "privkey1.pem"));
        config.Json["Server"]!["CertificateFile"] = "live/fullchain.pem";
        config.Json["Server"]!["KeyFile"] = "live/privkey.pem";
        config.Save();

        await using var server = await ServerProcess.StartAsync(config);
        Assert.Equal(first, CertificateProvider.FingerprintOf(await server.GetServerCertificateAsync()));
        using var waiting = server.CreateClient(); // a visitor's connection, open before the renewal
        Assert.Equal(HttpStatusCode.OK, (await waiting.GetAsync("")).StatusCode);

        // certbot renew: new files in archive/, the live/ links re-pointed.
        ReplaceLink(Path.Combine(live, "fullchain.pem"), Path.Combine(archive, "fullchain2.pem"));
        ReplaceLink(Path.Combine(live, "privkey.pem"), Path.Combine(archive, "privkey2.pem"));

        Assert.True(await Eventually.HoldsAsync(
            async () => CertificateProvider.FingerprintOf(await server.GetServerCertificateAsync()) == second,
            TimeSpan.FromSeconds(10)));
        Assert.Equal(HttpStatusCode.OK, (await waiting.GetAsync("")).StatusCode);
    }

    [Fact]
    public async Task OnlyTls12AndNewerAreSpokenAndPlainHttpGetsNothing()
    {
        using var config = TestConfig.Create();
        await using var server = await ServerProcess.StartAsync(config);

        Assert.NotNull(await server.GetServerCertificateAsync(SslProtocols.Tls12));
        Assert.NotNull(await server.GetServerCertificateAsync(SslProtocols.Tls13));
#pragma warning disable SYSLIB0039, CA5397 // deliberately offering an obsolete protocol
        await Assert.ThrowsAnyAsync<Exception>(() => server.GetServerCertificateAsync(SslProtocols.Tls11));
#pragma warning restore SYSLIB0039, CA5397

        var answer = await server.SendPlainAsync("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        Assert.Empty(answer); // no redirect, no page, no error page: the connection is just closed
    }

    private static string WritePair(string directory, int number)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=renewal {number}", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(90));
        File.WriteAllText(Path.Combine(directory, $"fullchain{number}.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, $"privkey{number}.pem"), key.ExportPkcs8PrivateKeyPem());
        return CertificateProvider.FingerprintOf(certificate);
    }

    private static void ReplaceLink(string link, string target)
    {
        var temp = link + ".new";
        File.CreateSymbolicLink(temp, target);
        File.Move(temp, link, overwrite: true);
    }
}
