using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WebRtcChat.Tests.Infrastructure;

/// <summary>A configuration file in a temporary directory of its own (with its data directory beside it).</summary>
public sealed class TestConfig : IDisposable
{
    public const string AliceConsolePath = "/desk-7Qf2-alice";

    private TestConfig(JsonObject json)
    {
        Directory.CreateDirectory(DirectoryPath);
        Json = json;
        Save();
    }

    /// <summary>The directory holding the file and the data directory.</summary>
    public string DirectoryPath { get; } = Path.Combine(Path.GetTempPath(), "webrtcchat-tests", Guid.NewGuid().ToString("N"));

    public string FilePath => Path.Combine(DirectoryPath, "webrtcchat.json");

    public string DataDirectory => Path.Combine(DirectoryPath, "data");

    /// <summary>The configuration as JSON; change it and call <see cref="Save"/>.</summary>
    public JsonObject Json { get; }

    public int Port => Json["Server"]!["Port"]!.GetValue<int>();

    public string ListenAddress => Json["Server"]!["ListenAddress"]?.GetValue<string>() ?? "*";

    public string PathBase => Json["Server"]!["PathBase"]?.GetValue<string>() ?? "";

    /// <summary>One super administrator, alice, on a free loopback port.</summary>
    public static TestConfig Create(string pathBase = "", Action<JsonObject>? configure = null)
    {
        var json = new JsonObject
        {
            ["Server"] = new JsonObject
            {
                ["Port"] = FreePort(),
                ["ListenAddress"] = "127.0.0.1",
                ["PathBase"] = pathBase,
            },
            ["Administrators"] = new JsonArray(new JsonObject
            {
                ["Name"] = "alice",
                ["ConsolePath"] = AliceConsolePath,
                ["SuperAdministrator"] = true,
            }),
        };
        configure?.Invoke(json);
        return new TestConfig(json);
    }

    /// <summary>A configuration with no administrators, as on a fresh install.</summary>
    public static TestConfig CreateFresh() => Create(configure: json => json["Administrators"] = new JsonArray());

    public void Save() => WriteRaw(Json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

    /// <summary>Writes the file as an editor would: whole, through a temporary file and a rename.</summary>
    public void WriteRaw(string text)
    {
        var temp = FilePath + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, FilePath, overwrite: true);
    }

    /// <summary>A TCP port nobody listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(DirectoryPath, recursive: true);
        }
        catch (IOException)
        {
            // A log file still open by a server being torn down; the temp directory is cleaned by the OS.
        }
    }
}
