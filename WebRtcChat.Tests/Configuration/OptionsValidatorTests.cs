using WebRtcChat.Components.Configuration;

namespace WebRtcChat.Tests.Configuration;

public sealed class OptionsValidatorTests
{
    private static readonly AdministratorOptions Alice = new() { Name = "alice", ConsolePath = "/desk-7Qf2-alice", SuperAdministrator = true };

    private static IReadOnlyList<string> Validate(WebRtcChatOptions options) => OptionsValidator.Validate(options, _ => true);

    public static TheoryData<WebRtcChatOptions, string> BadValues => new()
    {
        { new() { Server = new() { Port = 0 } }, "Server.Port: must be between 1 and 65535" },
        { new() { Server = new() { Port = 70000 } }, "Server.Port: must be between 1 and 65535" },
        { new() { Server = new() { ListenAddress = "localhost" } }, "Server.ListenAddress:" },
        { new() { Server = new() { PathBase = "k3x9" } }, "Server.PathBase: must be \"\" or start with \"/\"" },
        { new() { Server = new() { PathBase = "/k3x9/" } }, "Server.PathBase: must be \"\" or start with \"/\"" },
        { new() { Server = new() { PathBase = "/a/../b" } }, "Server.PathBase:" },
        { new() { Server = new() { PathBase = "/_framework" } }, "Server.PathBase: must not start with a path the framework uses" },
        { new() { Server = new() { CertificateFile = "/x/fullchain.pem" } }, "Server.KeyFile: must be set when Server.CertificateFile is set" },
        { new() { Server = new() { KeyFile = "/x/privkey.pem" } }, "Server.CertificateFile: must be set when Server.KeyFile is set" },
        { new() { Server = new() { DataDirectory = " " } }, "Server.DataDirectory: must not be empty" },
        { new() { Server = new() { DefaultLanguage = "nl" } }, "Server.DefaultLanguage: must be one of \"en\", \"de\", \"fr\", \"es\" (is \"nl\")" },
        { new() { Server = new() { TrustedProxies = ["10.0.0.1", "nonsense"] } }, "Server.TrustedProxies[1]: must be an IP address or a CIDR range" },
        { new() { Administrators = [Alice, Alice with { Name = "bob", ConsolePath = "/short", SuperAdministrator = false }] }, "Administrators[1].ConsolePath: must start with \"/\" and be at least 8 characters" },
        { new() { Administrators = [Alice, Alice with { Name = "bob", ConsolePath = "no-leading-slash", SuperAdministrator = false }] }, "Administrators[1].ConsolePath: must start with \"/\" and be at least 8 characters" },
        { new() { Administrators = [Alice with { ConsolePath = "/_blazor/console" }] }, "Administrators[0].ConsolePath: must not start with a path the framework uses" },
        { new() { Administrators = [Alice, Alice with { Name = "ALICE", ConsolePath = "/desk-other-1", SuperAdministrator = false }] }, "Administrators[1].Name: \"ALICE\" is used by another administrator" },
        { new() { Administrators = [Alice, Alice with { Name = "bob", SuperAdministrator = false }] }, "Administrators[1].ConsolePath: is used by another administrator" },
        { new() { Administrators = [Alice with { Name = "Ann Lee" }, Alice with { Name = "ann  lee", ConsolePath = "/desk-other-1", SuperAdministrator = false }] }, "Administrators[1].Name: \"ann  lee\" is used by another administrator" },
        { new() { Administrators = [Alice with { Name = "" }] }, "Administrators[0].Name: must be 1 to 60 characters" },
        { new() { Administrators = [Alice with { Name = "\u200B\u200B" }] }, "Administrators[0].Name: must be 1 to 60 characters, at least one of them visible" },
        { new() { Administrators = [Alice, Alice with { Name = "bob", ConsolePath = "/desk-bob-123" }] }, "Administrators: exactly one administrator must have \"SuperAdministrator\": true when there are several (found 2)" },
        { new() { Administrators = [Alice with { SuperAdministrator = false }, Alice with { Name = "bob", ConsolePath = "/desk-bob-123", SuperAdministrator = false }] }, "(found 0)" },
        { new() { Administrators = [Alice with { PermittedVisitors = ["Bob", " "] }] }, "Administrators[0].PermittedVisitors[1]: must be 1 to 60 characters" },
        { new() { Administrators = [Alice with { PermittedVisitors = ["Bob", "\uFEFF"] }] }, "Administrators[0].PermittedVisitors[1]: must be 1 to 60 characters, at least one of them visible" },
        { new() { Administrators = [Alice with { AllowedCountries = ["DEU"] }] }, "Administrators[0].AllowedCountries[0]: must be a two-letter ISO 3166 country code" },
        { new() { Ice = new() { StunServers = ["http://stun.example.org"] } }, "Ice.StunServers[0]: must be a URL such as stun:" },
        { new() { Ice = new() { TurnServers = ["stun:x.example.org"], TurnSharedSecret = "0123456789abcdef" } }, "Ice.TurnServers[0]: must be a URL such as turn:" },
        { new() { Ice = new() { TurnServers = ["turn:x.example.org:3478"], TurnSharedSecret = "short" } }, "Ice.TurnSharedSecret: must be at least 16 characters" },
        { new() { Ice = new() { TurnSharedSecret = "0123456789abcdef" } }, "Ice.TurnSharedSecret: is set but Ice.TurnServers is empty" },
        { new() { Ice = new() { TurnCredentialLifetime = TimeSpan.FromSeconds(5) } }, "Ice.TurnCredentialLifetime: must be between 00:01:00 and 7.00:00:00" },
        { new() { Ice = new() { RelayOnly = true } }, "Ice.RelayOnly: needs at least one entry in Ice.TurnServers" },
        { new() { Geoblocking = new() { AllowedCountries = ["DE"] } }, "Geoblocking.DatabaseFile: must be set when Geoblocking.AllowedCountries is not empty" },
        { new() { Geoblocking = new() { DatabaseFile = "/x.mmdb", AllowedCountries = ["D1"] } }, "Geoblocking.AllowedCountries[0]: must be a two-letter ISO 3166 country code" },
        { new() { ScanGuard = new() { Strikes = 0 } }, "ScanGuard.Strikes: must be between 1 and 1000" },
        { new() { ScanGuard = new() { Window = TimeSpan.Zero } }, "ScanGuard.Window: must be longer than 00:00:00" },
        { new() { ScanGuard = new() { BanDuration = TimeSpan.FromSeconds(-1) } }, "ScanGuard.BanDuration: must be longer than 00:00:00" },
        { new() { ScanGuard = new() { NeverBan = ["192.0.2.0/33"] } }, "ScanGuard.NeverBan[0]: must be an IP address or a CIDR range" },
        { new() { Lobby = new() { MaxWaiting = 0 } }, "Lobby.MaxWaiting: must be between 1 and 10000" },
        { new() { Lobby = new() { MaxWaiting = 5, MaxWaitingPerAddress = 6 } }, "Lobby.MaxWaitingPerAddress: must be between 1 and Lobby.MaxWaiting" },
        { new() { Lobby = new() { ReconnectGrace = TimeSpan.FromHours(1) } }, "Lobby.ReconnectGrace: must be between 00:00:00 and 00:10:00" },
        { new() { Lobby = new() { MaxRequestsPerAddress = 0 } }, "Lobby.MaxRequestsPerAddress: must be between 1 and 10000" },
        { new() { Lobby = new() { RequestWindow = TimeSpan.Zero } }, "Lobby.RequestWindow: must be between 00:00:01 and 1.00:00:00" },
        { new() { Audit = new() { RetentionDays = 0 } }, "Audit.RetentionDays: must be between 1 and 3650" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void EachBadValueIsReportedWithItsExactKey(WebRtcChatOptions options, string expected)
    {
        var errors = Validate(options);

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void DefaultsAndATypicalConfigurationAreValid()
    {
        Assert.Empty(Validate(new WebRtcChatOptions()));
        Assert.Empty(Validate(new WebRtcChatOptions
        {
            Server = new() { Port = 443, PathBase = "/k3x9/inner", TrustedProxies = ["127.0.0.1", "::1", "10.0.0.0/8"] },
            Administrators = [Alice, Alice with { Name = "bob", ConsolePath = "/desk-bob-123", SuperAdministrator = false, AllowedCountries = ["de"] }],
            Ice = new() { StunServers = ["stun:stun.example.org:3478"], TurnServers = ["turn:turn.example.org:3478?transport=udp"], TurnSharedSecret = "0123456789abcdef", RelayOnly = true },
        }));
    }

    [Fact]
    public void EveryErrorIsReportedAtOnce()
    {
        var errors = Validate(new WebRtcChatOptions
        {
            Server = new() { Port = -1, PathBase = "bad" },
            Administrators = [Alice with { ConsolePath = "/x" }],
            Lobby = new() { MaxWaiting = 0 },
        });

        Assert.Contains(errors, e => e.StartsWith("Server.Port:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Server.PathBase:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Administrators[0].ConsolePath:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Lobby.MaxWaiting:", StringComparison.Ordinal));
    }

    [Fact]
    public void ConfiguredCertificateFilesMustExist()
    {
        var errors = OptionsValidator.Validate(
            new WebRtcChatOptions { Server = new() { CertificateFile = "/nowhere/fullchain.pem", KeyFile = "/nowhere/privkey.pem" } },
            _ => false);

        Assert.Contains("Server.CertificateFile: file not found: /nowhere/fullchain.pem", errors);
        Assert.Contains("Server.KeyFile: file not found: /nowhere/privkey.pem", errors);
    }

    [Theory]
    [InlineData(new[] { "turn:turn.example.org:3478?transport=udp" }, true)]
    [InlineData(new[] { "turn:turn.example.org:3478" }, true)]
    [InlineData(new[] { "turn:turn.example.org:3478", "turn:turn.example.org:3478?transport=tcp" }, false)]
    [InlineData(new[] { "turns:turn.example.org:443?transport=tcp" }, false)]
    [InlineData(new string[0], false)]
    public void ARelayReachableOnlyOverUdpIsAWarningNotAnError(string[] turnServers, bool warned)
    {
        var options = new WebRtcChatOptions { Ice = new() { TurnServers = turnServers, TurnSharedSecret = turnServers.Length > 0 ? "0123456789abcdef" : "" } };

        Assert.Empty(OptionsValidator.Validate(options));
        Assert.Equal(warned, OptionsValidator.Warnings(options).Any(w => w.StartsWith("Ice.TurnServers: has no TCP or TLS URL", StringComparison.Ordinal)));
    }
}
