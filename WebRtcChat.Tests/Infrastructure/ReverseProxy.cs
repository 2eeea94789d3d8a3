using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace WebRtcChat.Tests.Infrastructure;

/// <summary>
/// Debian's nginx or Caddy on a loopback port, configured from the README's own snippet (the secret prefix and the
/// backend port put in, and only what a test on loopback needs around it: a listener with its own certificate, no
/// ACME, no admin endpoint). Stopped and its folder deleted on disposal.
/// </summary>
public sealed partial class ReverseProxy : IAsyncDisposable
{
    // The README's example values, replaced by the test's.
    private const string ReadmePrefix = "/k3x9-Qe7";
    private const string ReadmePort = "8443";

    private readonly Process _process;
    private readonly string _directory;

    private ReverseProxy(Process process, string directory, string address, int port)
    {
        (_process, _directory, Address, Port) = (process, directory, address, port);
    }

    public string Address { get; }

    public int Port { get; }

    public string BaseUrl(string pathBase) => $"https://{Address}:{Port}{pathBase}/";

    /// <summary>The fenced block of the given language in the README's proxy section.</summary>
    public static string Snippet(string language)
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        var section = readme[readme.IndexOf("## Running under a hidden sub-directory", StringComparison.Ordinal)..];
        var match = Regex.Match(section, "```" + language + @"\n(.*?)```", RegexOptions.Singleline);
        Assert.True(match.Success, $"the README has no {language} snippet");
        return match.Groups[1].Value;
    }

    /// <summary>Starts the proxy on a free loopback port.</summary>
    public static Task<ReverseProxy> StartAsync(string kind, int backendPort, string pathBase) =>
        StartAsync(kind, backendPort, pathBase, ns: null, "127.0.0.1", TestConfig.FreePort());

    /// <summary>Starts the proxy inside a namespace of the network lab, listening on the address and port given.</summary>
    public static Task<ReverseProxy> StartInNamespaceAsync(string kind, int backendPort, string pathBase, string ns, string address, int port) =>
        StartAsync(kind, backendPort, pathBase, ns, address, port);

    private static async Task<ReverseProxy> StartAsync(string kind, int backendPort, string pathBase, string? ns, string address, int port)
    {
        var directory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "webrtcchat-proxy", Guid.NewGuid().ToString("N"))).FullName;
        WriteCertificate(directory, address);
        var snippet = Snippet(kind).Replace(ReadmePrefix, pathBase, StringComparison.Ordinal).Replace(ReadmePort, backendPort.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        ProcessStartInfo start;
        if (kind == "nginx")
        {
            File.WriteAllText(Path.Combine(directory, "nginx.conf"), $$"""
                daemon off;
                pid {{directory}}/nginx.pid;
                error_log stderr warn;
                events {}
                http {
                    access_log off;
                    client_body_temp_path {{directory}}/body;
                    proxy_temp_path {{directory}}/proxy;
                    fastcgi_temp_path {{directory}}/fastcgi;
                    uwsgi_temp_path {{directory}}/uwsgi;
                    scgi_temp_path {{directory}}/scgi;
                    server {
                        listen {{address}}:{{port}} ssl;
                        ssl_certificate {{directory}}/cert.pem;
                        ssl_certificate_key {{directory}}/key.pem;
                        root {{directory}}/site;
                {{snippet}}
                    }
                }
                """);
            Directory.CreateDirectory(Path.Combine(directory, "site"));
            start = Program("nginx", ["-p", directory, "-c", Path.Combine(directory, "nginx.conf")], ns);
        }
        else
        {
            // The README's site block, served on a loopback port with the test's certificate instead of ACME.
            var site = SiteAddress().Replace(snippet, $"https://{address}:{port} {{\n    tls {directory}/cert.pem {directory}/key.pem", 1);
            File.WriteAllText(Path.Combine(directory, "Caddyfile"), $$"""
                {
                    admin off
                    auto_https off
                    storage file_system {{directory}}/storage
                }
                {{site}}
                """);
            start = Program("caddy", ["run", "--config", Path.Combine(directory, "Caddyfile"), "--adapter", "caddyfile"], ns);
            start.Environment["HOME"] = directory;
            start.Environment["XDG_DATA_HOME"] = directory;
            start.Environment["XDG_CONFIG_HOME"] = directory;
        }

        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var proxy = new ReverseProxy(process, directory, address, port);
        var listens = ns is null ? () => Listens(port) : (Func<bool>)(() => NetworkLab.Listens(ns, address, port));
        if (!await Eventually.HoldsAsync(() => listens() || process.HasExited, TimeSpan.FromSeconds(20)) || process.HasExited)
        {
            await proxy.DisposeAsync();
            throw new InvalidOperationException($"{kind} did not start");
        }

        return proxy;
    }

    private static ProcessStartInfo Program(string program, string[] arguments, string? ns) =>
        ns is null ? new ProcessStartInfo(program, arguments) : NetworkLab.InNamespace(ns, program, arguments);

    private static bool Listens(int port)
    {
        try
        {
            using var tcp = new TcpClient();
            tcp.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    // Caddy picks the certificate by the address the browser asked for (there is no SNI for an IP address).
    private static void WriteCertificate(string directory, string address)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + address, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Parse(address));
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(Path.Combine(directory, "cert.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "key.pem"), key.ExportPkcs8PrivateKeyPem());
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // a file still held by a process being torn down; the temp directory is cleaned by the OS
        }
    }

    // The site address on the snippet's first line ("example.org {").
    [GeneratedRegex(@"^\S+\s*\{", RegexOptions.Multiline)]
    private static partial Regex SiteAddress();
}
