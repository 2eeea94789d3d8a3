using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Playwright;

namespace WebRtcChat.Tests.Infrastructure;

/// <summary>
/// The network lab with coturn in its internet (UDP and TCP on 3478, TLS on 443) and one headless Chromium on each
/// side's machine, entered through a wrapper. Chromium trusts the TURN server's key as it would a real certificate.
/// Built once for all lab tests; nothing is built when the machine cannot (<see cref="NetworkLab.WhyNot"/>).
/// </summary>
public sealed class LabFixture : IAsyncLifetime
{
    private readonly Dictionary<LabSide, IBrowser> _browsers = [];
    private IPlaywright? _playwright;

    public NetworkLab Lab { get; private set; } = null!;

    public TurnServer Turn { get; private set; } = null!;

    /// <summary>The TURN server's certificate (PEM), which the lab's browsers trust as if it were a real one.</summary>
    public string TurnCertificateFile { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (NetworkLab.WhyNot is not null)
        {
            return;
        }

        Lab = await NetworkLab.CreateAsync();
        var spki = WriteTurnCertificate(out var certificateFile, out var keyFile);
        TurnCertificateFile = certificateFile;
        Turn = await TurnServer.StartInLabAsync(Lab, certificateFile, keyFile);
        _playwright = await Playwright.CreateAsync();
        foreach (var side in Enum.GetValues<LabSide>())
        {
            var wrapper = Lab.Wrapper(Lab.Machine(side), "/usr/bin/chromium");
            _browsers[side] = await _playwright.Chromium.LaunchAsync(BrowserFixture.LaunchOptions(wrapper, "--ignore-certificate-errors-spki-list=" + spki));
        }
    }

    /// <summary>A fresh browser profile on one side's machine.</summary>
    public Task<IBrowserContext> NewContextAsync(LabSide side) => BrowserFixture.NewContextAsync(_browsers[side]);

    // A certificate for the TURN server's address, standing in for a real one; returns its key's SPKI hash.
    private string WriteTurnCertificate(out string certificateFile, out string keyFile)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + NetworkLab.TurnAddress, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Parse(NetworkLab.TurnAddress));
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        certificateFile = Path.Combine(Lab.Directory, "turn-cert.pem");
        keyFile = Path.Combine(Lab.Directory, "turn-key.pem");
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        return Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
    }

    public async Task DisposeAsync()
    {
        try
        {
            foreach (var browser in _browsers.Values)
            {
                await browser.CloseAsync();
            }

            _playwright?.Dispose();
        }
        finally
        {
            // whatever the browsers did, coturn and the namespaces go (deleting a namespace kills what runs in it)
            if (Turn is not null)
            {
                await Turn.DisposeAsync();
            }

            if (Lab is not null)
            {
                await Lab.DisposeAsync();
            }
        }
    }
}

/// <summary>A test that needs the network lab; skipped, saying why, where it cannot be built.</summary>
public sealed class LabFactAttribute : FactAttribute
{
    public LabFactAttribute()
    {
        if (NetworkLab.WhyNot is { } why)
        {
            Skip = why;
        }
    }
}

/// <summary>A table of tests that need the network lab; skipped, saying why, where it cannot be built.</summary>
public sealed class LabTheoryAttribute : TheoryAttribute
{
    public LabTheoryAttribute()
    {
        if (NetworkLab.WhyNot is { } why)
        {
            Skip = why;
        }
    }
}

// Lab tests run alone, after the others, for the same reason as the browser tests.
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LabTests : ICollectionFixture<LabFixture>
{
    public const string Name = "Network lab";
}
