using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Server.Configuration;

namespace WebRtcChat.Server.Tls;

/// <summary>
/// The certificate Kestrel presents. With <c>Server.CertificateFile</c> and <c>Server.KeyFile</c> set, it is read from
/// those PEM files and read again whenever their contents change (certbot renews by re-pointing the <c>live/</c>
/// symlinks into <c>archive/</c>, so contents are compared, not names or times). Otherwise a self-signed ECDSA
/// certificate is generated once into the data directory and reused. Only new TLS handshakes see a new certificate;
/// connections already open, and so the visitors already waiting, are not touched.
/// </summary>
public sealed class CertificateProvider : IDisposable
{
    /// <summary>File name of the generated certificate in the data directory.</summary>
    public const string SelfSignedCertificateFile = "selfsigned-cert.pem";

    /// <summary>File name of the generated key in the data directory.</summary>
    public const string SelfSignedKeyFile = "selfsigned-key.pem";

    /// <summary>How often the PEM files are compared with what is being served.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private readonly WebRtcChatSettings _settings;
    private readonly ILogger<CertificateProvider> _logger;
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private (string Certificate, string Key) _files;
    private byte[] _filesHash = [];
    private byte[] _failedHash = [];
    private string? _lastError;
    private volatile X509Certificate2 _current;

    public CertificateProvider(WebRtcChatSettings settings, ILogger<CertificateProvider> logger, TimeProvider time)
    {
        _settings = settings;
        _logger = logger;
        _time = time;
        _current = LoadInitial(settings.Current.Server);
        _timer = time.CreateTimer(_ => Refresh(), null, PollInterval, PollInterval);
    }

    /// <summary>The certificate for the next handshake.</summary>
    public X509Certificate2 Current => _current;

    /// <summary>The SHA-256 fingerprint of <see cref="Current"/>, as colon-separated hex.</summary>
    public string Fingerprint => FingerprintOf(_current);

    /// <summary>True when the certificate was generated rather than configured.</summary>
    public bool IsSelfSigned => _files.Certificate.EndsWith(SelfSignedCertificateFile, StringComparison.Ordinal);

    /// <summary>
    /// True when browsers refuse the certificate until their user accepts it: a generated self-signed one, or a
    /// configured one outside its validity (a renewal that failed). Their aborted handshakes are then no strikes, or
    /// every visitor would be banned on their third try.
    /// </summary>
    public bool BrowsersRefuseIt
    {
        get
        {
            var now = _time.GetUtcNow().UtcDateTime;
            var current = _current;
            return IsSelfSigned || now > current.NotAfter.ToUniversalTime() || now < current.NotBefore.ToUniversalTime();
        }
    }

    /// <summary>Formats the SHA-256 fingerprint as browsers show it.</summary>
    public static string FingerprintOf(X509Certificate2 certificate) =>
        Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256)).Chunk(2).Select(c => new string(c)).Aggregate((a, b) => a + ":" + b);

    /// <summary>Loads the configured files again if their names or contents changed. Called by the timer; public for tests.</summary>
    public void Refresh()
    {
        lock (_gate)
        {
            var server = _settings.Current.Server;
            var files = server.CertificateFile.Length > 0 ? (server.CertificateFile, server.KeyFile) : SelfSignedFiles(server);
            try
            {
                var configured = server.CertificateFile.Length > 0;
                if (!configured && files == _files)
                {
                    return; // the generated certificate never changes under us
                }

                var hash = configured ? HashFiles(files) : [];
                if ((files == _files && hash.AsSpan().SequenceEqual(_filesHash)) || (configured && hash.AsSpan().SequenceEqual(_failedHash)))
                {
                    return; // unchanged, or the same broken pair already reported
                }

                _failedHash = hash;

                var certificate = configured ? LoadPem(files) : LoadOrCreateSelfSigned(server);
                _files = files;
                _filesHash = configured ? hash : HashFiles(files);
                _current = certificate;
                _failedHash = [];
                _lastError = null;
                _logger.LogInformation("TLS certificate loaded from {File}, SHA-256 fingerprint {Fingerprint}", files.Item1, FingerprintOf(certificate));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
            {
                // A renewal caught half-way (new certificate, old key) lands here; the next poll picks up the finished pair.
                if (_lastError != e.Message)
                {
                    _lastError = e.Message; // once per distinct problem, not every two seconds
                    _logger.LogError("Server.CertificateFile/Server.KeyFile: {Certificate} and {Key} could not be loaded, still serving the previous certificate: {Message}",
                        files.Item1, files.Item2, e.Message);
                }
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _timer.Dispose();

    private X509Certificate2 LoadInitial(ServerOptions server)
    {
        _files = server.CertificateFile.Length > 0 ? (server.CertificateFile, server.KeyFile) : SelfSignedFiles(server);
        try
        {
            var certificate = server.CertificateFile.Length > 0 ? LoadPem(_files) : LoadOrCreateSelfSigned(server);
            _filesHash = HashFiles(_files);
            return certificate;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            var key = server.CertificateFile.Length > 0 ? "Server.CertificateFile/Server.KeyFile" : "Server.DataDirectory";
            throw new InvalidConfigurationException("the configuration file", [$"{key}: the TLS certificate could not be loaded: {e.Message}"]);
        }
    }

    private static (string, string) SelfSignedFiles(ServerOptions server) =>
        (Path.Combine(server.DataDirectory, SelfSignedCertificateFile), Path.Combine(server.DataDirectory, SelfSignedKeyFile));

    private static byte[] HashFiles((string Certificate, string Key) files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(File.ReadAllBytes(files.Certificate));
        hash.AppendData(File.ReadAllBytes(files.Key));
        return hash.GetHashAndReset();
    }

    private static X509Certificate2 LoadPem((string Certificate, string Key) files)
    {
        using var pem = X509Certificate2.CreateFromPemFile(files.Certificate, files.Key);
        // On Linux an ephemeral key works for SslStream; on Windows the key must be re-imported to be usable.
        return OperatingSystem.IsWindows() ? X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null) : new X509Certificate2(pem);
    }

    private static X509Certificate2 LoadOrCreateSelfSigned(ServerOptions server)
    {
        var (certificateFile, keyFile) = SelfSignedFiles(server);
        if (!File.Exists(certificateFile) || !File.Exists(keyFile))
        {
            DataDirectory.Ensure(server.DataDirectory);
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var host = Dns.GetHostName();
            var request = new CertificateRequest($"CN={host}, O=WebRtcChat self-signed", key, HashAlgorithmName.SHA256);
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName(host);
            names.AddDnsName("localhost");
            names.AddIpAddress(IPAddress.Loopback);
            names.AddIpAddress(IPAddress.IPv6Loopback);
            request.CertificateExtensions.Add(names.Build());
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
            var now = DateTimeOffset.UtcNow;
            using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));
            DataDirectory.WriteSecret(keyFile, key.ExportPkcs8PrivateKeyPem());
            DataDirectory.WriteSecret(certificateFile, created.ExportCertificatePem());
        }

        return LoadPem((certificateFile, keyFile));
    }
}
