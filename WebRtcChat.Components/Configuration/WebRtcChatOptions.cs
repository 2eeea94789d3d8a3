using System.Text.Json.Serialization;

namespace WebRtcChat.Components.Configuration;

/// <summary>
/// The whole of <c>appconfig/webrtcchat.json</c>. Every section is optional; a missing section takes its defaults.
/// The XML docs on these classes are the configuration reference in the README.
/// </summary>
public sealed record WebRtcChatOptions
{
    /// <summary>Port, TLS certificate, hidden sub-directory and data directory.</summary>
    public ServerOptions Server { get; init; } = new();

    /// <summary>
    /// The hosts. Each has a secret console path. Empty means one host whose console path is generated on first
    /// start, kept in the data directory and printed at start.
    /// </summary>
    public IReadOnlyList<AdministratorOptions> Administrators { get; init; } = [];

    /// <summary>STUN and TURN servers handed to both browsers of a call.</summary>
    public IceOptions Ice { get; init; } = new();

    /// <summary>Country whitelist from a MaxMind or DB-IP <c>.mmdb</c> database.</summary>
    public GeoblockingOptions Geoblocking { get; init; } = new();

    /// <summary>The built-in ban of addresses that probe the server.</summary>
    public ScanGuardOptions ScanGuard { get; init; } = new();

    /// <summary>Bounds of the waiting room.</summary>
    public LobbyOptions Lobby { get; init; } = new();

    /// <summary>The record of failed attempts that the super administrator sees.</summary>
    public AuditOptions Audit { get; init; } = new();

    /// <summary>What every host's alerts share; each host's channels are in <see cref="AdministratorOptions.Alerts"/>.</summary>
    public AlertsOptions Alerts { get; init; } = new();
}

/// <summary>The <c>Server</c> section.</summary>
public sealed record ServerOptions
{
    /// <summary>The secret TCP port for HTTPS. Changing it needs a restart (the log says so).</summary>
    public int Port { get; init; } = 8443;

    /// <summary>
    /// The address to listen on: <c>*</c> for every interface (IPv4 and IPv6), or one IP address such as
    /// <c>127.0.0.1</c> when a reverse proxy on the same machine forwards to it. Changing it needs a restart.
    /// </summary>
    public string ListenAddress { get; init; } = "*";

    /// <summary>
    /// A hidden sub-directory such as <c>/k3x9</c> that everything lives under; <c>""</c> is the site root.
    /// Anything outside it gets the same 404 as any unknown path.
    /// </summary>
    public string PathBase { get; init; } = "";

    /// <summary>A PEM certificate chain, e.g. certbot's <c>fullchain.pem</c>. <c>""</c> uses a generated self-signed certificate.</summary>
    public string CertificateFile { get; init; } = "";

    /// <summary>The PEM private key of <see cref="CertificateFile"/>, e.g. certbot's <c>privkey.pem</c>.</summary>
    public string KeyFile { get; init; } = "";

    /// <summary>
    /// Where the generated certificate, the generated console path and the logs are kept. A relative path is
    /// relative to the directory of the configuration file.
    /// </summary>
    public string DataDirectory { get; init; } = "data";

    /// <summary>
    /// Whether the console URLs are printed at start. They go to standard output only, never into the log files;
    /// set false where standard output is kept (e.g. the systemd journal) and others can read it.
    /// </summary>
    public bool PrintConsoleUrls { get; init; } = true;

    /// <summary>Addresses (IP or CIDR) of reverse proxies whose <c>X-Forwarded-For</c> is believed. Empty means none.</summary>
    public IReadOnlyList<string> TrustedProxies { get; init; } = [];

    /// <summary>
    /// The visitor's page's language when the browser asks for none it speaks (<c>en</c>, <c>de</c>, <c>fr</c>,
    /// <c>es</c>). The browser's <c>Accept-Language</c> comes first.
    /// </summary>
    public string DefaultLanguage { get; init; } = "en";
}

/// <summary>One entry of <c>Administrators</c>: a host with a console of their own.</summary>
public sealed record AdministratorOptions
{
    /// <summary>The name a visitor types in "Who would you like to reach?" (matched case-insensitively).</summary>
    public string Name { get; init; } = "";

    /// <summary>The secret path of this host's console, e.g. <c>/desk-7Qf2</c>: starts with "/", at least 8 characters.</summary>
    public string ConsolePath { get; init; } = "";

    /// <summary>Visitor names this host expects. Empty means anyone. Others wait but cannot be called.</summary>
    public IReadOnlyList<string> PermittedVisitors { get; init; } = [];

    /// <summary>The one host who also sees failed attempts. Required once there is more than one host.</summary>
    public bool SuperAdministrator { get; init; }

    /// <summary>Narrows <c>Geoblocking.AllowedCountries</c> for visitors of this host; null means no narrowing.</summary>
    public IReadOnlyList<string>? AllowedCountries { get; init; }

    /// <summary>
    /// How this host learns that someone is waiting while no console of theirs is open: Web Push, ntfy, a webhook,
    /// e-mail, and when and what they are sent.
    /// </summary>
    public AdministratorAlertsOptions Alerts { get; init; } = new();

    /// <summary>True for the host made up on a fresh install with no administrator configured.</summary>
    [JsonIgnore]
    public bool Generated { get; init; }
}

/// <summary>The <c>Ice</c> section.</summary>
public sealed record IceOptions
{
    /// <summary>STUN URLs passed to the browsers as they are, e.g. <c>stun:stun.example.org:3478</c>.</summary>
    public IReadOnlyList<string> StunServers { get; init; } = [];

    /// <summary>TURN URLs, e.g. <c>turn:turn.example.org:3478?transport=udp</c>. Credentials are minted per call.</summary>
    public IReadOnlyList<string> TurnServers { get; init; } = [];

    /// <summary>coturn's <c>static-auth-secret</c>. Never sent to a browser.</summary>
    public string TurnSharedSecret { get; init; } = "";

    /// <summary>How long a minted TURN credential is valid.</summary>
    public TimeSpan TurnCredentialLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>When true, all media goes through TURN, so neither side learns the other's IP address.</summary>
    public bool RelayOnly { get; init; }
}

/// <summary>The <c>Geoblocking</c> section.</summary>
public sealed record GeoblockingOptions
{
    /// <summary>A GeoLite2-Country, GeoLite2-City or DB-IP Country Lite <c>.mmdb</c> file. <c>""</c> turns geoblocking off.</summary>
    public string DatabaseFile { get; init; } = "";

    /// <summary>ISO 3166 two-letter country codes allowed in. Empty means every country.</summary>
    public IReadOnlyList<string> AllowedCountries { get; init; } = [];

    /// <summary>Whether addresses the database does not know (loopback, private ranges, gaps) are let in.</summary>
    public bool AllowUnknownAddresses { get; init; } = true;
}

/// <summary>The <c>ScanGuard</c> section.</summary>
public sealed record ScanGuardOptions
{
    /// <summary>Turns the built-in ban on or off.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>How many strikes within <see cref="Window"/> ban an address.</summary>
    public int Strikes { get; init; } = 3;

    /// <summary>The sliding window in which strikes are counted.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a ban lasts.</summary>
    public TimeSpan BanDuration { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Addresses or CIDR ranges that are never banned.</summary>
    public IReadOnlyList<string> NeverBan { get; init; } = [];
}

/// <summary>The <c>Lobby</c> section.</summary>
public sealed record LobbyOptions
{
    /// <summary>At most this many visitors wait at once.</summary>
    public int MaxWaiting { get; init; } = 50;

    /// <summary>At most this many waiting visitors from one IP address.</summary>
    public int MaxWaitingPerAddress { get; init; } = 3;

    /// <summary>
    /// At most this many chat requests from one IP address within <see cref="RequestWindow"/>, so a loop of request
    /// and cancel cannot keep a host's chime ringing. Taking back a place after a reload is not a request.
    /// </summary>
    public int MaxRequestsPerAddress { get; init; } = 10;

    /// <summary>The sliding window in which <see cref="MaxRequestsPerAddress"/> counts.</summary>
    public TimeSpan RequestWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a visitor whose page went away keeps their place, so a reload does not lose it.</summary>
    public TimeSpan ReconnectGrace { get; init; } = TimeSpan.FromSeconds(45);
}

/// <summary>The <c>Audit</c> section.</summary>
public sealed record AuditOptions
{
    /// <summary>How many days failed attempts are kept.</summary>
    public int RetentionDays { get; init; } = 30;
}

/// <summary>The <c>Alerts</c> section: what the alerts of every host share.</summary>
public sealed record AlertsOptions
{
    /// <summary>
    /// The address people use to reach this server, e.g. <c>https://chat.example.org:8443</c> (with the path base, if
    /// any). Needed only by hosts with <see cref="AdministratorAlertsOptions.IncludeConsoleLink"/>.
    /// </summary>
    public string PublicUrl { get; init; } = "";

    /// <summary>
    /// The contact a push service may use about this server's Web Push messages (the VAPID subject): a
    /// <c>mailto:</c> or <c>https:</c> URL.
    /// </summary>
    public string VapidSubject { get; init; } = "";
}

/// <summary>An administrator's <c>Alerts</c>: the channels that reach this host, and when and what they carry.</summary>
public sealed record AdministratorAlertsOptions
{
    /// <summary>Whether this host may turn on Web Push from the console (<b>Get alerts on this device</b>).</summary>
    public bool WebPush { get; init; } = true;

    /// <summary>An ntfy topic to publish to; null means none.</summary>
    public NtfyOptions? Ntfy { get; init; }

    /// <summary>An HTTPS endpoint that receives a signed JSON document; null means none.</summary>
    public WebhookOptions? Webhook { get; init; }

    /// <summary>E-mail over SMTP; null means none.</summary>
    public EmailOptions? Email { get; init; }

    /// <summary>Whether an alert carries the visitor's IP address.</summary>
    public bool IncludeAddress { get; init; }

    /// <summary>
    /// Whether an alert carries a link that opens the console. Off by default: the push or mail provider then sees
    /// the secret console path.
    /// </summary>
    public bool IncludeConsoleLink { get; init; }

    /// <summary>A second alert for a visitor still waiting after this long; null means none.</summary>
    public TimeSpan? RemindAfter { get; init; }

    /// <summary>At most this many alerts to this host in any hour, so a flood of requests cannot flood a phone.</summary>
    public int MaxAlertsPerHour { get; init; } = 10;

    /// <summary>Local time ranges such as <c>"22:00-07:00"</c> in which alerts are held back.</summary>
    public IReadOnlyList<string> QuietHours { get; init; } = [];

    /// <summary>The time zone of <see cref="QuietHours"/> and of the time in an alert (IANA, e.g. <c>Europe/Berlin</c>); <c>""</c> is the server's.</summary>
    public string TimeZone { get; init; } = "";

    /// <summary>Whether alerts are sent while this host has a console open and visible (it alerts by itself).</summary>
    public bool WhileConsoleVisible { get; init; }

    /// <summary>For the super administrator only: whether visitors who named no known host alert them too.</summary>
    public bool UnknownHostVisitors { get; init; }
}

/// <summary>An <c>Ntfy</c> channel.</summary>
public sealed record NtfyOptions
{
    /// <summary>The topic's URL, e.g. <c>https://ntfy.sh/some-long-random-topic</c>.</summary>
    public string Url { get; init; } = "";

    /// <summary>An ntfy access token (<c>tk_…</c>); <c>""</c> for an open topic. Never logged.</summary>
    public string AccessToken { get; init; } = "";
}

/// <summary>A <c>Webhook</c> channel.</summary>
public sealed record WebhookOptions
{
    /// <summary>The HTTPS URL that receives the POST.</summary>
    public string Url { get; init; } = "";

    /// <summary>The key of the HMAC-SHA256 signature header. Never logged.</summary>
    public string Secret { get; init; } = "";
}

/// <summary>How an <c>Email</c> channel secures its SMTP connection. Written in the file by name: <c>"StartTls"</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SmtpSecurity>))]
public enum SmtpSecurity
{
    /// <summary>Plain connection upgraded with STARTTLS (usually port 587); refused if the server does not offer it.</summary>
    StartTls,

    /// <summary>TLS from the first byte (usually port 465).</summary>
    Tls,

    /// <summary>No TLS: only for a mail relay on this machine.</summary>
    None,
}

/// <summary>An <c>Email</c> channel.</summary>
public sealed record EmailOptions
{
    /// <summary>The SMTP server's name.</summary>
    public string Host { get; init; } = "";

    /// <summary>The SMTP server's port.</summary>
    public int Port { get; init; } = 587;

    /// <summary>STARTTLS, implicit TLS, or none (loopback only).</summary>
    public SmtpSecurity Security { get; init; } = SmtpSecurity.StartTls;

    /// <summary>The SMTP user; <c>""</c> sends without logging in.</summary>
    public string User { get; init; } = "";

    /// <summary>The SMTP password. Never logged.</summary>
    public string Password { get; init; } = "";

    /// <summary>The sender address.</summary>
    public string From { get; init; } = "";

    /// <summary>The recipient addresses.</summary>
    public IReadOnlyList<string> To { get; init; } = [];
}
