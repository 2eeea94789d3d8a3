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
        { new() { Server = new() { PathBase = "/k3x9\n" } }, "Server.PathBase: must be \"\" or start with \"/\"" },
        { new() { Server = new() { PathBase = "/k3x9?x" } }, "Server.PathBase: must be \"\" or start with \"/\"" },
        { new() { Server = new() { PathBase = "/_framework" } }, "Server.PathBase: must not start with a path the framework uses" },
        { new() { Server = new() { CertificateFile = "/x/fullchain.pem" } }, "Server.KeyFile: must be set when Server.CertificateFile is set" },
        { new() { Server = new() { KeyFile = "/x/privkey.pem" } }, "Server.CertificateFile: must be set when Server.KeyFile is set" },
        { new() { Server = new() { DataDirectory = " " } }, "Server.DataDirectory: must not be empty" },
        { new() { Server = new() { DefaultLanguage = "nl" } }, "Server.DefaultLanguage: must be one of \"en\", \"de\", \"fr\", \"es\" (is \"nl\")" },
        { new() { Server = new() { TrustedProxies = ["10.0.0.1", "nonsense"] } }, "Server.TrustedProxies[1]: must be an IP address or a CIDR range" },
        { new() { Administrators = [Alice, Alice with { Name = "bob", ConsolePath = "/short", SuperAdministrator = false }] }, "Administrators[1].ConsolePath: must start with \"/\" and be at least 8 characters" },
        { new() { Administrators = [Alice, Alice with { Name = "bob", ConsolePath = "no-leading-slash", SuperAdministrator = false }] }, "Administrators[1].ConsolePath: must start with \"/\" and be at least 8 characters" },
        { new() { Administrators = [Alice with { ConsolePath = "/_blazor/console" }] }, "Administrators[0].ConsolePath: must not start with a path the framework uses" },
        { new() { Administrators = [Alice with { ConsolePath = "/desk-7Qf2-alice\n" }] }, "Administrators[0].ConsolePath: must start with \"/\" and be at least 8 characters" },
        { new() { Administrators = [Alice with { ConsolePath = "/desk-7Qf2-älice" }] }, "Administrators[0].ConsolePath: must start with \"/\" and be at least 8 characters" },
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
        { new() { Ice = new() { TurnServers = ["turn:x.example.org:3478\n"], TurnSharedSecret = "0123456789abcdef" } }, "Ice.TurnServers[0]: must be a URL such as turn:" },
        { new() { Ice = new() { TurnServers = ["turn:"], TurnSharedSecret = "0123456789abcdef" } }, "Ice.TurnServers[0]: must be a URL such as turn:" },
        { new() { Ice = new() { TurnServers = ["TURN:x.example.org"], TurnSharedSecret = "0123456789abcdef" } }, "Ice.TurnServers[0]: must be a URL such as turn:" },
        { new() { Ice = new() { TurnServers = ["turn:x.example.org/\"<b>"], TurnSharedSecret = "0123456789abcdef" } }, "Ice.TurnServers[0]: must be a URL such as turn:" },
        // What a browser's RTCPeerConnection refuses outright (RFC 7065, libwebrtc), which would fail every call: a second
        // parameter, an unknown transport, a port out of range, a parameter not in lower case, user@host.
        { new() { Ice = new() { TurnServers = ["turn:x.example.org:3478?transport=tcp&x=1"], TurnSharedSecret = "0123456789abcdef" } }, "Ice.TurnServers[0]: must be a URL such as turn:" },
        { new() { Ice = new() { TurnServers = ["turn:x.example.org:3478?transport=sctp"], TurnSharedSecret = "0123456789abcdef" } }, "Ice.TurnServers[0]: must be a URL such as turn:" },
        { new() { Ice = new() { TurnServers = ["turns:x.example.org:70000"], TurnSharedSecret = "0123456789abcdef" } }, "Ice.TurnServers[0]: must be a URL such as turn:" },
        { new() { Ice = new() { TurnServers = ["turn:x.example.org:3478?Transport=tcp"], TurnSharedSecret = "0123456789abcdef" } }, "Ice.TurnServers[0]: must be a URL such as turn:" },
        { new() { Ice = new() { TurnServers = ["turn:alice@x.example.org:3478"], TurnSharedSecret = "0123456789abcdef" } }, "Ice.TurnServers[0]: must be a URL such as turn:" },
        { new() { Ice = new() { StunServers = ["stuns:" + new string('s', 501)] } }, "Ice.StunServers[0]: must be a URL such as stun:" },
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
        { new() { Alerts = new() { PublicUrl = "http://chat.example.org" } }, "Alerts.PublicUrl: must be \"\" or an https: URL" },
        { new() { Alerts = new() { PublicUrl = "https://chat.example.org/?x=1" } }, "Alerts.PublicUrl: must be \"\" or an https: URL" },
        { new() { Alerts = new() { VapidSubject = "you@example.org" } }, "Alerts.VapidSubject: must be \"\", a mailto: URL" },
        { new() { Alerts = new() { VapidSubject = "mailto:nobody" } }, "Alerts.VapidSubject: must be \"\", a mailto: URL" },
        { new() { Alerts = new() { VapidSubject = "http://example.org/contact" } }, "Alerts.VapidSubject: must be \"\", a mailto: URL" },
        { WithAlerts(new() { Ntfy = new() { Url = "http://ntfy.example.org/topic" } }), "Administrators[0].Alerts.Ntfy.Url: must be the topic's https:" },
        { WithAlerts(new() { Ntfy = new() { Url = "https://ntfy.example.org/" } }), "Administrators[0].Alerts.Ntfy.Url:" },
        { WithAlerts(new() { Ntfy = new() { Url = "https://user:pw@ntfy.example.org/topic" } }), "Administrators[0].Alerts.Ntfy.Url:" },
        { WithAlerts(new() { Ntfy = new() { Url = "" } }), "Administrators[0].Alerts.Ntfy.Url:" },
        { WithAlerts(new() { Ntfy = new() { Url = "https://ntfy.sh/t", AccessToken = "tk_1 2" } }), "Administrators[0].Alerts.Ntfy.AccessToken: must be \"\" or an ntfy access token" },
        { WithAlerts(new() { Ntfy = new() { Url = "https://ntfy.sh/t", AccessToken = "tk_1\r\nX-Evil: 1" } }), "Administrators[0].Alerts.Ntfy.AccessToken:" },
        { WithAlerts(new() { Webhook = new() { Url = "ftp://hook.example.org/", Secret = "0123456789abcdef" } }), "Administrators[0].Alerts.Webhook.Url: must be an https:" },
        { WithAlerts(new() { Webhook = new() { Url = "http://192.168.1.5/hook", Secret = "0123456789abcdef" } }), "Administrators[0].Alerts.Webhook.Url:" },
        { WithAlerts(new() { Webhook = new() { Url = "https://hook.example.org/#x", Secret = "0123456789abcdef" } }), "Administrators[0].Alerts.Webhook.Url:" },
        { WithAlerts(new() { Webhook = new() { Url = "https://hook.example.org/", Secret = "short" } }), "Administrators[0].Alerts.Webhook.Secret: must be 16 to 500 characters" },
        { WithAlerts(new() { Email = GoodEmail with { Host = "" } }), "Administrators[0].Alerts.Email.Host: must be the SMTP server's name" },
        { WithAlerts(new() { Email = GoodEmail with { Host = "smtp example.org" } }), "Administrators[0].Alerts.Email.Host:" },
        { WithAlerts(new() { Email = GoodEmail with { Port = 0 } }), "Administrators[0].Alerts.Email.Port: must be between 1 and 65535" },
        { WithAlerts(new() { Email = GoodEmail with { Security = (SmtpSecurity)7 } }), "Administrators[0].Alerts.Email.Security: must be \"StartTls\", \"Tls\" or \"None\"" },
        { WithAlerts(new() { Email = GoodEmail with { Security = SmtpSecurity.None } }), "Administrators[0].Alerts.Email.Security: \"None\" is only for a mail relay on this machine" },
        { WithAlerts(new() { Email = GoodEmail with { Password = "" } }), "Administrators[0].Alerts.Email.Password: must be set when Administrators[0].Alerts.Email.User is set" },
        { WithAlerts(new() { Email = GoodEmail with { User = "" } }), "Administrators[0].Alerts.Email.User: must be set when Administrators[0].Alerts.Email.Password is set" },
        { WithAlerts(new() { Email = GoodEmail with { User = "alice\r\n" } }), "Administrators[0].Alerts.Email.User: must not contain control characters" },
        { WithAlerts(new() { Email = GoodEmail with { From = "Alice <alice@example.org>" } }), "Administrators[0].Alerts.Email.From: must be one e-mail address" },
        { WithAlerts(new() { Email = GoodEmail with { To = [] } }), "Administrators[0].Alerts.Email.To: must list 1 to 20 e-mail addresses" },
        { WithAlerts(new() { Email = GoodEmail with { To = ["alice@example.org", "not an address"] } }), "Administrators[0].Alerts.Email.To[1]: must be one e-mail address" },
        { WithAlerts(new() { IncludeConsoleLink = true }), "Administrators[0].Alerts.IncludeConsoleLink: needs Alerts.PublicUrl" },
        { WithAlerts(new() { RemindAfter = TimeSpan.FromSeconds(30) }), "Administrators[0].Alerts.RemindAfter: must be null or between 00:01:00 and 1.00:00:00" },
        { WithAlerts(new() { MaxAlertsPerHour = 0 }), "Administrators[0].Alerts.MaxAlertsPerHour: must be between 1 and 1000" },
        { WithAlerts(new() { QuietHours = ["22:00-07:00", "22-7"] }), "Administrators[0].Alerts.QuietHours[1]: must be a range of 24-hour times such as \"22:00-07:00\"" },
        { WithAlerts(new() { QuietHours = ["25:00-07:00"] }), "Administrators[0].Alerts.QuietHours[0]:" },
        { WithAlerts(new() { QuietHours = ["07:00-07:00"] }), "Administrators[0].Alerts.QuietHours[0]:" },
        { WithAlerts(new() { TimeZone = "Mars/Olympus" }), "Administrators[0].Alerts.TimeZone: unknown time zone \"Mars/Olympus\"" },
        { new() { Administrators = [Alice, Alice with { Name = "bob", ConsolePath = "/desk-bob-123", SuperAdministrator = false, Alerts = new() { UnknownHostVisitors = true } }] },
            "Administrators[1].Alerts.UnknownHostVisitors: only the super administrator sees visitors who named no known host" },
        { new() { Administrators = [Alice with { Alerts = null! }] }, "Administrators[0].Alerts: must be an object" },
    };

    private static readonly EmailOptions GoodEmail = new()
    {
        Host = "smtp.example.org", Port = 587, User = "alice", Password = "pw", From = "webrtcchat@example.org", To = ["alice@example.org"],
    };

    private static WebRtcChatOptions WithAlerts(AdministratorAlertsOptions alerts) => new() { Administrators = [Alice with { Alerts = alerts }] };

    [Fact]
    public void EveryAlertChannelAndRuleSetUpAsTheReadmeShowsIsValid()
    {
        Assert.Empty(Validate(new WebRtcChatOptions
        {
            Alerts = new() { PublicUrl = "https://chat.example.org:8443/k3x9", VapidSubject = "mailto:you@example.org" },
            Administrators =
            [
                Alice with
                {
                    Alerts = new()
                    {
                        Ntfy = new() { Url = "https://ntfy.sh/webrtcchat-alice-9f3k2Qm7xT", AccessToken = "tk_0123456789abcdefghijklmnopq" },
                        Webhook = new() { Url = "https://gotify.example.org/message?token=AbCdEf123", Secret = "0123456789abcdef0123" },
                        Email = GoodEmail with { Security = SmtpSecurity.Tls, Port = 465, To = ["alice@example.org", "alice.phone@example.net"] },
                        IncludeAddress = true, IncludeConsoleLink = true, RemindAfter = TimeSpan.FromMinutes(10), MaxAlertsPerHour = 5,
                        QuietHours = ["22:00-07:00", "12:00-13:00"], TimeZone = "Europe/Berlin", WhileConsoleVisible = true, UnknownHostVisitors = true,
                    },
                },
            ],
        }));
        // To this machine, plain http and SMTP without TLS are allowed (a local ntfy, Gotify or relay; the tests' receivers).
        Assert.Empty(Validate(WithAlerts(new()
        {
            Ntfy = new() { Url = "http://127.0.0.1:8080/alerts" },
            Webhook = new() { Url = "http://localhost:8081/hook", Secret = "0123456789abcdef" },
            Email = GoodEmail with { Host = "127.0.0.1", Port = 25, Security = SmtpSecurity.None, User = "", Password = "" },
        })));
    }

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
