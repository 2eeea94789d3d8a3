using System.CommandLine;
using System.Net;
using System.Text.Json;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Server.Configuration;
using WebRtcChat.Server.ScanGuard;

namespace WebRtcChat.Server.Commands;

/// <summary>
/// The operator's verbs, in the same executable: <c>check-config</c>, <c>bans list</c>, <c>bans lift ADDRESS</c>,
/// <c>attempts</c>, <c>coturn-config</c>. They read the same configuration file as the server and touch nothing through the web.
/// With no verb, the executable runs the server.
/// </summary>
public static class OperatorCommands
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static readonly string[] HelpOptions = ["--help", "-h", "-?", "--version"];

    /// <summary>
    /// True when the command line holds a word that is not an option's value (a verb, or a mistyped one: that gets an
    /// error and the list, never a server started by accident) or asks for help. Options such as <c>--config PATH</c>
    /// or the host's <c>--key=value</c> settings run the server.
    /// </summary>
    public static bool AreIn(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (HelpOptions.Contains(args[i], StringComparer.Ordinal) || !args[i].StartsWith('-'))
            {
                return true;
            }

            if (!args[i].Contains('=', StringComparison.Ordinal))
            {
                i++; // "--config PATH": the next word is its value
            }
        }

        return false;
    }

    /// <summary>Runs the verb; the exit code is 0 on success, 2 for an unusable configuration, 1 otherwise.</summary>
    public static int Run(string[] args)
    {
        var config = new Option<string?>("--config") { Description = "The configuration file (default: WEBRTCCHAT_CONFIG, else appconfig/webrtcchat.json)", Recursive = true };
        var root = new RootCommand("WebRtcChat: with no verb, runs the server.") { Options = { config } };

        var check = new Command("check-config", "Validates the configuration; prints every error with its key, or the effective configuration with its secrets masked.");
        check.SetAction(result => WithOptions(result.GetValue(config), CheckConfig));
        root.Subcommands.Add(check);

        var address = new Argument<string>("address") { Description = "The address to unban (an IPv6 ban covers its /64)" };
        var list = new Command("list", "Lists the bans in force.");
        list.SetAction(result => WithOptions(result.GetValue(config), (options, _) => ListBans(options)));
        var lift = new Command("lift", "Lifts a ban; a running server sees it within seconds.") { Arguments = { address } };
        lift.SetAction(result => WithOptions(result.GetValue(config), (options, _) => LiftBan(options, result.GetValue(address)!)));
        root.Subcommands.Add(new Command("bans", "The ScanGuard bans in the data directory.") { Subcommands = { list, lift } });

        var since = new Option<string>("--since") { Description = "How far back: 30m, 12h, 7d (default 1d)", DefaultValueFactory = _ => "1d" };
        var kind = new Option<string?>("--kind") { Description = "Only this kind, e.g. unknown-path, scanner-path, tls-handshake" };
        var attempts = new Command("attempts", "The failed attempts in the audit, newest first.") { Options = { since, kind } };
        attempts.SetAction(result => WithOptions(result.GetValue(config), (options, _) => ListAttempts(options, result.GetValue(since)!, result.GetValue(kind))));
        root.Subcommands.Add(attempts);

        var coturn = new Command("coturn-config", "Prints a coturn configuration matching Ice.* (the shared secret, a realm, the ports, the hardening).");
        coturn.SetAction(result => WithOptions(result.GetValue(config), (options, _) =>
        {
            Console.Out.Write(CoturnConfig.Render(options));
            return 0;
        }));
        root.Subcommands.Add(coturn);
        try
        {
            return root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (InvalidConfigurationException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }

    // Loads the configuration as the server does; the verb gets it and the file's path, or the errors are printed.
    private static int WithOptions(string? named, Func<WebRtcChatOptions, string, int> verb)
    {
        var loader = ConfigFileLoader.For(named);
        var result = loader.Load();
        if (result.Options is null)
        {
            Console.Error.WriteLine(new InvalidConfigurationException(loader.FilePath, result.Errors).Message);
            return 2;
        }

        return verb(result.Options, loader.FilePath);
    }

    private static int CheckConfig(WebRtcChatOptions options, string file)
    {
        Console.WriteLine($"The configuration in {file} is valid.");
        foreach (var warning in OptionsValidator.Warnings(options))
        {
            Console.WriteLine($"Warning: {warning}");
        }

        Console.WriteLine("In force, with its secrets masked:");
        Console.WriteLine(JsonSerializer.Serialize(Masked(options), Indented));
        return 0;
    }

    // What check-config shows: the sub-directory, the console paths, the TURN secret and the alerts' secrets are
    // secrets: the ntfy token and topic (on a public server the topic is the password), the webhook's secret and
    // query (a Gotify token), the SMTP password.
    internal static WebRtcChatOptions Masked(WebRtcChatOptions options) => options with
    {
        Server = options.Server with { PathBase = options.Server.PathBase.Length == 0 ? "" : "***" },
        Administrators = [.. options.Administrators.Select(a => a with { ConsolePath = "***", Alerts = Masked(a.Alerts) })],
        Ice = options.Ice with { TurnSharedSecret = options.Ice.TurnSharedSecret.Length == 0 ? "" : "***" },
    };

    private static AdministratorAlertsOptions Masked(AdministratorAlertsOptions alerts) => alerts with
    {
        Ntfy = alerts.Ntfy is { } ntfy ? ntfy with { Url = MaskedUrl(ntfy.Url, path: true), AccessToken = Mask(ntfy.AccessToken) } : null,
        Webhook = alerts.Webhook is { } webhook ? webhook with { Url = MaskedUrl(webhook.Url, path: false), Secret = Mask(webhook.Secret) } : null,
        Email = alerts.Email is { } email ? email with { Password = Mask(email.Password) } : null,
    };

    private static string Mask(string secret) => secret.Length == 0 ? "" : "***";

    // The scheme and server stay (they say where alerts go); the path (an ntfy topic) or the query (a token) go.
    private static string MaskedUrl(string url, bool path)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return "***";
        }

        var kept = uri.GetLeftPart(UriPartial.Authority);
        return path ? kept + "/***" : kept + uri.AbsolutePath + (uri.Query.Length > 0 ? "?***" : "");
    }

    // The data directory's file, or null (and why) when there is none: a verb run with the wrong --config must say
    // so rather than report an empty store it has just made.
    private static string? StoreFile(WebRtcChatOptions options, string name)
    {
        var file = Path.Combine(Path.GetFullPath(options.Server.DataDirectory), name);
        if (!File.Exists(file))
        {
            Console.Error.WriteLine($"There is no {file}: is --config the service's configuration (and Server.DataDirectory its data directory)?");
            return null;
        }

        return file;
    }

    private static int ListBans(WebRtcChatOptions options)
    {
        if (StoreFile(options, BanStore.FileName) is not { } file)
        {
            return 1;
        }

        var now = DateTimeOffset.UtcNow;
        var inForce = BanStore.ReadInForce(file, now).OrderBy(b => b.Until).ToList();
        Console.WriteLine(inForce.Count == 0 ? "No bans in force." : $"{inForce.Count} ban(s) in force:");
        foreach (var ban in inForce)
        {
            Console.WriteLine($"{ban.Address,-40} until {ban.Until:yyyy-MM-dd HH:mm:ss}Z  {ban.Reason}");
        }

        return 0;
    }

    private static int ListAttempts(WebRtcChatOptions options, string since, string? kind)
    {
        if (!TryParseAge(since, out var age))
        {
            Console.Error.WriteLine($"--since {since}: must be a number followed by m, h or d, e.g. 12h");
            return 1;
        }

        if (StoreFile(options, Audit.AuditLog.FileName) is not { } file)
        {
            return 1;
        }

        var records = Audit.AuditLog.ReadRecent(file, DateTimeOffset.UtcNow - age, kind, 1000);
        Console.WriteLine(records.Count == 0 ? $"No failed attempts in the last {since}." : $"{records.Count} record(s) in the last {since}, newest first:");
        foreach (var record in records)
        {
            var times = record.Count > 1 ? $" (×{record.Count})" : "";
            Console.WriteLine($"{record.At.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z  {record.Address,-39} {record.Country ?? "--",-2}  {record.Kind,-22} {record.Detail}{times}");
        }

        return 0;
    }

    private static bool TryParseAge(string text, out TimeSpan age)
    {
        age = default;
        if (text.Length < 2 || !int.TryParse(text.AsSpan(0, text.Length - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        age = text[^1] switch { 'm' => TimeSpan.FromMinutes(number), 'h' => TimeSpan.FromHours(number), 'd' => TimeSpan.FromDays(number), _ => TimeSpan.Zero };
        return age > TimeSpan.Zero && age <= TimeSpan.FromDays(3650); // the audit keeps ten years at most
    }

    private static int LiftBan(WebRtcChatOptions options, string text)
    {
        if (!IPAddress.TryParse(text, out var address))
        {
            Console.Error.WriteLine($"{text}: not an IP address");
            return 1;
        }

        if (StoreFile(options, BanStore.FileName) is not { } file)
        {
            return 1;
        }

        using var bans = new BanStore(file, TimeProvider.System);
        address = WebRtcChat.Components.Security.ClientKeys.Of(address); // as bans are kept: an IPv6 client by its /64
        if (!bans.Lift(address))
        {
            Console.Error.WriteLine($"{address} is not banned.");
            return 1;
        }

        Console.WriteLine($"Lifted the ban of {address}; a running server lets it in within {BanStore.RefreshInterval.TotalSeconds:0} seconds (a fail2ban ban of it, if any, is fail2ban's to lift).");
        return 0;
    }
}
