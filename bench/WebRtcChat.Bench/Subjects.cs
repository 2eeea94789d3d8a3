using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace WebRtcChat.Bench;

/// <summary>What the product needs from the bench's coturn: its URL, and the shared secret.</summary>
internal sealed record TurnSetup(string Url, string SharedSecret);

/// <summary>
/// The two things compared, each built once per run and started as often as the figures need: WebRtcChat as
/// <c>release.sh</c> builds it, and the .NET Blazor Server template built and served the same way (one self-contained,
/// compressed single file, over TLS with an ECDSA P-256 certificate).
/// </summary>
internal static class Subjects
{
    public const string ConsolePath = "/desk-bench-alice-0001";

    /// <summary>An address the product never bans: the bench's source of bland 404s.</summary>
    public static readonly IPAddress Prober = IPAddress.Parse("127.0.0.3");

    /// <summary>The address the flood comes from, banned by its first request.</summary>
    public static readonly IPAddress Banned = IPAddress.Parse("127.0.0.2");

    // The release's own properties (Properties/PublishProfiles/linux-x64.pubxml), for the template.
    private static readonly string[] ReleaseProperties =
    [
        "-c", "Release", "-r", "linux-x64", "--self-contained", "-p:PublishSingleFile=true", "-p:IncludeAllContentForSelfExtract=true",
        "-p:EnableCompressionInSingleFile=true", "-p:DebugType=none",
    ];

    // The product's csproj bundles the static web assets into the single file; the template gets the same target.
    private const string BundleTarget = """
        <Project>
          <Target Name="BundleStaticWebAssets" AfterTargets="_ComputeFilesToBundle" Condition="'$(PublishSingleFile)' == 'true'"
                  DependsOnTargets="GenerateStaticWebAssetsPublishManifest;_SplitPublishStaticWebAssetsByCopyOptions">
            <ItemGroup>
              <_FilesToBundle Include="@(_PublishStaticWebAssetsTargetPath)" RelativePath="%(_PublishStaticWebAssetsTargetPath.TargetPath)" />
              <_FilesToBundle Include="$(StaticWebAssetEndpointsPublishManifestPath)" RelativePath="$(TargetName).staticwebassets.endpoints.json" />
            </ItemGroup>
          </Target>
        </Project>
        """;

    /// <summary>Publishes the product with its release profile into the workspace; returns the executable.</summary>
    public static async Task<string> PublishProductAsync(Workspace work, string repository)
    {
        var output = work.PathOf("product") + "/";
        await Exec.RunAsync("dotnet", ["publish", Path.Combine(repository, "WebRtcChat.Server", "WebRtcChat.Server.csproj"),
            "-p:PublishProfile=linux-x64", "-p:PublishDir=" + output, "--nologo", "-v", "quiet"]);
        return Path.Combine(output, "webrtcchat");
    }

    /// <summary>
    /// Makes the template with <c>dotnet new blazor --interactivity Server</c> and the given options, outside the
    /// repository (so none of its build settings apply), and publishes it as the release is published.
    /// </summary>
    public static async Task<string> PublishTemplateAsync(Workspace work, string name, params string[] options)
    {
        var source = work.PathOf("source", name);
        await Exec.RunAsync("dotnet", ["new", "blazor", "--interactivity", "Server", .. options, "-n", name, "-o", source]);
        await File.WriteAllTextAsync(Path.Combine(source, "Directory.Build.targets"), BundleTarget);
        var output = work.PathOf(name);
        await Exec.RunAsync("dotnet", ["publish", source, .. ReleaseProperties, "-o", output, "--nologo", "-v", "quiet"]);
        return Path.Combine(output, name);
    }

    /// <summary>A self-signed ECDSA P-256 certificate for the template, as the product generates for itself.</summary>
    public static async Task<(string Certificate, string Key)> MakeCertificateAsync(Workspace work)
    {
        var (certificate, key) = (work.PathOf("template-cert.pem"), work.PathOf("template-key.pem"));
        await Exec.RunAsync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key, "-out", certificate, "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"]);
        return (certificate, key);
    }

    /// <summary>
    /// The product on a free loopback port, with its configuration and data in <paramref name="home"/> (kept between
    /// starts, as on a server). Waiting-room bounds are raised past the bench's visitors, all from 127.0.0.1.
    /// </summary>
    public static ServerPlan Product(string executable, string home, TurnSetup? turn = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = FreePort();
        var json = new JsonObject
        {
            ["Server"] = new JsonObject { ["Port"] = port, ["ListenAddress"] = "127.0.0.1" },
            ["Administrators"] = new JsonArray(new JsonObject { ["Name"] = "alice", ["ConsolePath"] = ConsolePath, ["SuperAdministrator"] = true }),
            ["Lobby"] = new JsonObject { ["MaxWaiting"] = 100, ["MaxWaitingPerAddress"] = 100, ["MaxRequestsPerAddress"] = 10_000 },
            ["ScanGuard"] = new JsonObject { ["NeverBan"] = new JsonArray(Prober.ToString()) },
        };
        if (turn is not null)
        {
            json["Ice"] = new JsonObject { ["TurnServers"] = new JsonArray(turn.Url), ["TurnSharedSecret"] = turn.SharedSecret, ["RelayOnly"] = true };
        }

        var file = Path.Combine(home, "webrtcchat.json");
        File.WriteAllText(file, json.ToJsonString());
        return new ServerPlan(executable, ["--config", file], Environment(home, environment), home, new Uri($"https://127.0.0.1:{port}/"), port);
    }

    /// <summary>The template on a free loopback port, over TLS with the bench's certificate, in Production.</summary>
    public static ServerPlan Template(string executable, string home, (string Certificate, string Key) tls, IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = FreePort();
        var variables = Environment(home, environment);
        variables["ASPNETCORE_URLS"] = $"https://127.0.0.1:{port}";
        variables["Kestrel__Certificates__Default__Path"] = tls.Certificate;
        variables["Kestrel__Certificates__Default__KeyPath"] = tls.Key;
        // Its content root is the working directory: the published wwwroot beside the executable.
        return new ServerPlan(executable, [], variables, Path.GetDirectoryName(executable)!, new Uri($"https://127.0.0.1:{port}/"), port);
    }

    // Each subject's own HOME (the template keeps its data-protection keys there) and bundle extraction directory.
    private static Dictionary<string, string> Environment(string home, IReadOnlyDictionary<string, string>? extra)
    {
        var variables = new Dictionary<string, string>
        {
            ["HOME"] = home,
            ["DOTNET_BUNDLE_EXTRACT_BASE_DIR"] = Path.Combine(home, "bundle"),
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        foreach (var (name, value) in extra ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }

        return variables;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
