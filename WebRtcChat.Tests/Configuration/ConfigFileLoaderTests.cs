using WebRtcChat.Server.Configuration;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Configuration;

public sealed class ConfigFileLoaderTests
{
    [Fact]
    public void TheShippedConfigurationFileIsValidAndHasNoBuiltInConsolePath()
    {
        var result = new ConfigFileLoader(Path.Combine(RepositoryPaths.Root, "appconfig", "webrtcchat.json"), mustExist: true).Load();

        Assert.Empty(result.Errors);
        Assert.NotNull(result.Options);
        Assert.Empty(result.Options.Administrators); // a fresh install generates a random console path instead
        Assert.Equal(8443, result.Options.Server.Port);
    }

    [Fact]
    public void CommentsAndTrailingCommasAreAccepted()
    {
        using var config = TestConfig.Create();
        config.WriteRaw("""
            // a comment
            {
              /* another */ "Server": { "Port": 9443, },
              "Administrators": [ { "Name": "alice", "ConsolePath": "/desk-7Qf2-alice", }, ],
            }
            """);

        var result = new ConfigFileLoader(config.FilePath, mustExist: true).Load();

        Assert.Empty(result.Errors);
        Assert.Equal(9443, result.Options!.Server.Port);
    }

    [Fact]
    public void AnUnknownKeyIsAnErrorNamingTheKeyAndLine()
    {
        using var config = TestConfig.Create();
        config.WriteRaw("{\n  \"Server\": {\n    \"Prot\": 9443\n  }\n}");

        var result = new ConfigFileLoader(config.FilePath, mustExist: true).Load();

        Assert.Null(result.Options);
        var error = Assert.Single(result.Errors);
        Assert.Contains("line 3", error, StringComparison.Ordinal);
        Assert.Contains("Server.Prot: unknown key", error, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedJsonNamesTheLine()
    {
        using var config = TestConfig.Create();
        config.WriteRaw("{\n  \"Server\": {\n    \"Port\": 9443\n    \"PathBase\": \"\"\n  }\n}");

        var result = new ConfigFileLoader(config.FilePath, mustExist: true).Load();

        Assert.Null(result.Options);
        Assert.Contains("webrtcchat.json line 4", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void AValueOfTheWrongTypeNamesTheKey()
    {
        using var config = TestConfig.Create();
        config.WriteRaw("{ \"Server\": { \"Port\": \"8443\" } }");

        var result = new ConfigFileLoader(config.FilePath, mustExist: true).Load();

        Assert.Contains("Server.Port: has the wrong type of value", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void RelativeFileNamesAreResolvedAgainstTheConfigurationFilesDirectory()
    {
        using var config = TestConfig.Create();
        File.WriteAllText(Path.Combine(config.DirectoryPath, "cert.pem"), "x");
        File.WriteAllText(Path.Combine(config.DirectoryPath, "key.pem"), "x");
        config.Json["Server"]!["CertificateFile"] = "cert.pem";
        config.Json["Server"]!["KeyFile"] = "key.pem";
        config.Json["Server"]!["DataDirectory"] = "state";
        config.Save();

        var options = new ConfigFileLoader(config.FilePath, mustExist: true).Load().Options!;

        Assert.Equal(Path.Combine(config.DirectoryPath, "cert.pem"), options.Server.CertificateFile);
        Assert.Equal(Path.Combine(config.DirectoryPath, "state"), options.Server.DataDirectory);
    }

    [Fact]
    public void ASingleHostIsTheSuperAdministratorWithoutSayingSo()
    {
        using var config = TestConfig.Create(configure: json => json["Administrators"]![0]!["SuperAdministrator"] = false);

        var options = new ConfigFileLoader(config.FilePath, mustExist: true).Load().Options!;

        Assert.True(Assert.Single(options.Administrators).SuperAdministrator);
    }

    [Theory]
    [InlineData("\"PathBase\": \"/first-1\", \"PathBase\": \"/second-2\"")]
    [InlineData("\"PathBase\": \"/first-1\", \"pathbase\": \"/second-2\"")]
    public void AKeyGivenTwiceInAnyLetterCaseIsAnErrorNamingIt(string server)
    {
        using var config = TestConfig.Create();
        config.WriteRaw("{\n  \"Server\": { " + server + " }\n}");

        var result = new ConfigFileLoader(config.FilePath, mustExist: true).Load();

        Assert.Null(result.Options);
        var error = Assert.Single(result.Errors);
        Assert.Contains("line 2", error, StringComparison.Ordinal);
        Assert.Contains("PathBase: is given twice", error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void NoFileAtTheDefaultLocationMeansTheEmbeddedDefaults()
    {
        var missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "webrtcchat.json");

        var result = new ConfigFileLoader(missing, mustExist: false).Load();

        Assert.Empty(result.Errors);
        Assert.Equal(8443, result.Options!.Server.Port);
    }

    [Fact]
    public void ANamedFileThatIsMissingIsAnError()
    {
        var missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "webrtcchat.json");

        var result = new ConfigFileLoader(missing, mustExist: true).Load();

        Assert.Null(result.Options);
        Assert.Contains("cannot be read", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void AFreshInstallGetsARandomConsolePathThatSurvivesRestarts()
    {
        using var config = TestConfig.CreateFresh();
        var options = new ConfigFileLoader(config.FilePath, mustExist: true).Load().Options!;

        var first = DataDirectory.WithGeneratedAdministrator(options).Administrators.Single();
        var second = DataDirectory.WithGeneratedAdministrator(options).Administrators.Single();

        Assert.True(first.Generated);
        Assert.True(first.SuperAdministrator);
        Assert.Equal(first.ConsolePath, second.ConsolePath);
        // "/console-" and 16 random bytes in unpadded base64url: 22 characters, 128 bits.
        Assert.Matches("^/console-[A-Za-z0-9_-]{22}$", first.ConsolePath);
        Assert.Equal(first.ConsolePath + "\n", File.ReadAllText(Path.Combine(config.DataDirectory, "console-path.txt")));
        using var other = TestConfig.CreateFresh();
        var elsewhere = DataDirectory.WithGeneratedAdministrator(new ConfigFileLoader(other.FilePath, mustExist: true).Load().Options!);
        Assert.NotEqual(first.ConsolePath, elsewhere.Administrators.Single().ConsolePath);
    }
}
