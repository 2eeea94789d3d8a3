using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Configuration;

public sealed class HotReloadTests
{
    private static readonly TimeSpan Promised = TimeSpan.FromSeconds(5);

    private static async Task<bool> StatusBecomesAsync(HttpClient client, string path, HttpStatusCode status) =>
        await Eventually.HoldsAsync(async () => (await client.GetAsync(path)).StatusCode == status, Promised);

    [Fact]
    public async Task AnEditedConsolePathTakesEffectWithoutARestart()
    {
        using var config = TestConfig.Create();
        await using var factory = new WebRtcChatFactory(config);
        using var client = factory.CreatePlainClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(TestConfig.AliceConsolePath)).StatusCode);

        config.Json["Administrators"]![0]!["ConsolePath"] = "/moved-desk-99";
        config.Save();

        Assert.True(await StatusBecomesAsync(client, "/moved-desk-99", HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(TestConfig.AliceConsolePath)).StatusCode);
    }

    [Fact]
    public async Task AnEditedPathBaseTakesEffectWithoutARestart()
    {
        using var config = TestConfig.Create();
        await using var factory = new WebRtcChatFactory(config);
        using var client = factory.CreatePlainClient();

        config.Json["Server"]!["PathBase"] = "/hidden-9";
        config.Save();

        Assert.True(await StatusBecomesAsync(client, "/hidden-9/", HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/hidden-9" + TestConfig.AliceConsolePath)).StatusCode);
    }

    [Fact]
    public async Task AMalformedEditKeepsTheLastGoodConfigurationAndLogsTheLine()
    {
        using var config = TestConfig.Create();
        await using var factory = new WebRtcChatFactory(config);
        using var client = factory.CreatePlainClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(TestConfig.AliceConsolePath)).StatusCode);

        // A half-finished edit: the new path is there, but a comma is missing on line 3.
        config.WriteRaw("{\n  \"Administrators\": [\n    { \"Name\": \"alice\" \"ConsolePath\": \"/moved-desk-99\" }\n  ]\n}");

        Assert.True(await Eventually.HoldsAsync(() => LogFiles.ReadAll(config.DataDirectory).Contains("line 3", StringComparison.Ordinal), Promised));
        Assert.Contains("keeping the last good configuration", LogFiles.ReadAll(config.DataDirectory), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(TestConfig.AliceConsolePath)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/moved-desk-99")).StatusCode);
    }

    [Fact]
    public async Task AnInvalidEditKeepsTheLastGoodConfigurationAndNamesTheKey()
    {
        using var config = TestConfig.Create();
        await using var factory = new WebRtcChatFactory(config);
        using var client = factory.CreatePlainClient();

        config.Json["Administrators"]![0]!["ConsolePath"] = "/short";
        config.Json["Server"]!["PathBase"] = "/also-moved";
        config.Save();

        Assert.True(await Eventually.HoldsAsync(
            () => LogFiles.ReadAll(config.DataDirectory).Contains("Administrators[0].ConsolePath: must start with \"/\" and be at least 8 characters", StringComparison.Ordinal),
            Promised));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(TestConfig.AliceConsolePath)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/also-moved/")).StatusCode); // nothing of a bad edit applies

        // Fixing the file applies it.
        config.Json["Administrators"]![0]!["ConsolePath"] = "/long-enough-now";
        config.Save();
        Assert.True(await StatusBecomesAsync(client, "/also-moved/long-enough-now", HttpStatusCode.OK));
    }

    [Fact]
    public async Task AnEditPointingAtABrokenCertificateIsNotAppliedAtAll()
    {
        using var config = TestConfig.Create();
        await using var factory = new WebRtcChatFactory(config);
        using var client = factory.CreatePlainClient();
        File.WriteAllText(Path.Combine(config.DirectoryPath, "fullchain.pem"), "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
        File.WriteAllText(Path.Combine(config.DirectoryPath, "privkey.pem"), "nothing");

        config.Json["Server"]!["CertificateFile"] = "fullchain.pem";
        config.Json["Server"]!["KeyFile"] = "privkey.pem";
        config.Json["Administrators"]![0]!["ConsolePath"] = "/moved-desk-99";
        config.Save();

        Assert.True(await Eventually.HoldsAsync(
            () => LogFiles.ReadAll(config.DataDirectory).Contains("Server.CertificateFile/Server.KeyFile: not a usable PEM certificate", StringComparison.Ordinal),
            Promised));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(TestConfig.AliceConsolePath)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/moved-desk-99")).StatusCode);

        // Fixing the certificate, without saving the file again, applies the whole edit.
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            using var certificate = new CertificateRequest("CN=fixed", key, HashAlgorithmName.SHA256)
                .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(90));
            File.WriteAllText(Path.Combine(config.DirectoryPath, "privkey.pem"), key.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(Path.Combine(config.DirectoryPath, "fullchain.pem"), certificate.ExportCertificatePem());
        }

        Assert.True(await StatusBecomesAsync(client, "/moved-desk-99", HttpStatusCode.OK));
        Assert.Equal(1, Regex.Count(LogFiles.ReadAll(config.DataDirectory), "not a usable PEM certificate")); // logged once, tried each second
    }

    [Fact]
    public async Task AConfigurationFileThatGoesMissingKeepsTheLastGoodConfiguration()
    {
        using var config = TestConfig.Create("/hid-9");
        await using var factory = new WebRtcChatFactory(config);
        using var client = factory.CreatePlainClient();

        File.Move(config.FilePath, config.FilePath + ".bak");

        Assert.True(await Eventually.HoldsAsync(
            () => LogFiles.ReadAll(config.DataDirectory).Contains("the file is missing", StringComparison.Ordinal), Promised));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/hid-9/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/hid-9" + TestConfig.AliceConsolePath)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/")).StatusCode); // not the embedded defaults

        config.Json["Server"]!["PathBase"] = "/hid-10";
        config.Save(); // the file is back, edited
        Assert.True(await StatusBecomesAsync(client, "/hid-10/", HttpStatusCode.OK));
    }

    [Fact]
    public async Task AMovedDataDirectoryWaitsForARestartAndSaysSoWhileTheRestOfTheEditApplies()
    {
        using var config = TestConfig.CreateFresh();
        await using var factory = new WebRtcChatFactory(config);
        using var client = factory.CreatePlainClient();
        var generated = File.ReadAllText(Path.Combine(config.DataDirectory, "console-path.txt")).Trim();

        config.Json["Server"]!["DataDirectory"] = "elsewhere";
        config.Json["Server"]!["PathBase"] = "/hid-11";
        config.Save();

        Assert.True(await StatusBecomesAsync(client, "/hid-11/", HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/hid-11" + generated)).StatusCode); // the same console
        Assert.Contains("Server.DataDirectory changed; restart the service to move there", LogFiles.ReadAll(config.DataDirectory), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(config.DirectoryPath, "elsewhere"))); // checked, but unused until then
    }

    [Fact]
    public async Task AddingAnAdministratorReplacesTheGeneratedConsole()
    {
        using var config = TestConfig.CreateFresh();
        await using var factory = new WebRtcChatFactory(config);
        using var client = factory.CreatePlainClient();
        var generated = File.ReadAllText(Path.Combine(config.DataDirectory, "console-path.txt")).Trim();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(generated)).StatusCode);

        config.Json["Administrators"] = new JsonArray(new JsonObject { ["Name"] = "alice", ["ConsolePath"] = TestConfig.AliceConsolePath });
        config.Save();

        Assert.True(await StatusBecomesAsync(client, TestConfig.AliceConsolePath, HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(generated)).StatusCode);
    }
}
