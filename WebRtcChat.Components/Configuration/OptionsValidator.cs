using System.Net;

namespace WebRtcChat.Components.Configuration;

/// <summary>
/// Checks a whole configuration and returns every problem at once, each naming the exact key to fix,
/// e.g. <c>Administrators[1].ConsolePath: must start with "/" and be at least 8 characters</c>.
/// </summary>
public static partial class OptionsValidator
{
    /// <summary>The shortest console path accepted, counting the leading "/".</summary>
    public const int MinConsolePathLength = 8;

    /// <summary>The longest visitor or administrator name.</summary>
    public const int MaxNameLength = 60;

    /// <summary>
    /// The paths the app serves by itself under the path base: the framework's scripts and hub, the component
    /// library's assets and our JS modules. A console path or path base inside them would shadow them.
    /// </summary>
    public static readonly IReadOnlyList<string> ReservedPrefixes = ["/_framework", "/_blazor", "/_content", Interop.JsModuleFiles.RequestPath];

    /// <summary>Returns the list of errors; empty means valid. <paramref name="fileExists"/> is swapped in tests.</summary>
    public static IReadOnlyList<string> Validate(WebRtcChatOptions options, Func<string, bool>? fileExists = null)
    {
        fileExists ??= File.Exists;
        var errors = new List<string>();
        ValidateServer(options.Server, errors, fileExists);
        ValidateAdministrators(options.Administrators, errors);
        ValidateAlerts(options, errors);
        ValidateIce(options.Ice, errors);
        ValidateGeoblocking(options.Geoblocking, errors, fileExists);
        ValidateScanGuard(options.ScanGuard, errors);
        ValidateLobby(options.Lobby, errors);
        if (options.Audit.RetentionDays is < 1 or > 3650)
        {
            errors.Add("Audit.RetentionDays: must be between 1 and 3650");
        }

        return errors;
    }

    /// <summary>
    /// What is valid but likely a mistake, each naming its key: the server runs, and says so at start, on every
    /// reload and in <c>check-config</c>.
    /// </summary>
    public static IReadOnlyList<string> Warnings(WebRtcChatOptions options)
    {
        var warnings = new List<string>();
        if (options.Ice.TurnServers.Count > 0 && !options.Ice.TurnServers.Any(IsTcpOrTlsTurnUrl))
        {
            warnings.Add("Ice.TurnServers: has no TCP or TLS URL, so a visitor whose network drops UDP (hotels, offices, some mobile carriers) cannot connect; add turn:…:3478?transport=tcp and turns:…:443?transport=tcp (see the README's TURN section)");
        }

        return warnings;
    }

    /// <summary>Whether a TURN URL reaches the relay over TCP or TLS (a bare <c>turn:</c> URL means UDP).</summary>
    public static bool IsTcpOrTlsTurnUrl(string url) => TurnUrl.Parse(url) is { Transport: not TurnTransport.Udp };

    private static void ValidateServer(ServerOptions server, List<string> errors, Func<string, bool> fileExists)
    {
        if (server.Port is < 1 or > 65535)
        {
            errors.Add($"Server.Port: must be between 1 and 65535 (is {server.Port})");
        }

        if (server.ListenAddress != "*" && !IPAddress.TryParse(server.ListenAddress, out _))
        {
            errors.Add($"Server.ListenAddress: must be \"*\" or an IP address such as 127.0.0.1 (is \"{server.ListenAddress}\")");
        }

        if (server.PathBase.Length > 0)
        {
            if (!IsCleanPath(server.PathBase) || server.PathBase.Length > 200)
            {
                errors.Add("Server.PathBase: must be \"\" or start with \"/\", not end with \"/\", and use only letters, digits and - . _ ~ / (at most 200 characters)");
            }
            else if (IsReserved(server.PathBase))
            {
                errors.Add($"Server.PathBase: must not start with a path the framework uses ({string.Join(", ", ReservedPrefixes)})");
            }
        }

        var hasCertificate = server.CertificateFile.Length > 0;
        var hasKey = server.KeyFile.Length > 0;
        if (hasCertificate != hasKey)
        {
            errors.Add(hasCertificate
                ? "Server.KeyFile: must be set when Server.CertificateFile is set"
                : "Server.CertificateFile: must be set when Server.KeyFile is set");
        }
        else if (hasCertificate)
        {
            if (!fileExists(server.CertificateFile))
            {
                errors.Add($"Server.CertificateFile: file not found: {server.CertificateFile}");
            }

            if (!fileExists(server.KeyFile))
            {
                errors.Add($"Server.KeyFile: file not found: {server.KeyFile}");
            }
        }

        if (string.IsNullOrWhiteSpace(server.DataDirectory))
        {
            errors.Add("Server.DataDirectory: must not be empty");
        }

        ValidateNetworks(server.TrustedProxies, "Server.TrustedProxies", errors);
        if (!Localization.VisitorText.Languages.Contains(server.DefaultLanguage ?? ""))
        {
            errors.Add($"Server.DefaultLanguage: must be one of {string.Join(", ", Localization.VisitorText.Languages.Select(l => $"\"{l}\""))} (is \"{server.DefaultLanguage}\")");
        }
    }

    private static readonly string NameRule =
        $"must be 1 to {MaxNameLength} characters, at least one of them visible, without control characters or bidirectional overrides (as a visitor could type it)";

    // A configured name a visitor could never type would be ignored without a word.
    private static bool IsTypeableName(string name) => Lobby.VisitorNames.Check(name, out _) == Lobby.NameProblem.None;

    private static void ValidateAdministrators(IReadOnlyList<AdministratorOptions> administrators, List<string> errors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var paths = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < administrators.Count; i++)
        {
            var admin = administrators[i];
            var key = $"Administrators[{i}]";
            if (admin is null)
            {
                errors.Add($"{key}: must be an object with Name and ConsolePath");
                continue;
            }

            var name = admin.Name?.Trim() ?? "";
            if (!IsTypeableName(name))
            {
                errors.Add($"{key}.Name: {NameRule}");
            }
            else if (!names.Add(Lobby.VisitorNames.MatchKey(name)))
            {
                errors.Add($"{key}.Name: \"{name}\" is used by another administrator (names are compared ignoring case, spacing and Unicode form, as visitors type them)");
            }

            var path = admin.ConsolePath ?? "";
            if (path.Length < MinConsolePathLength || !IsCleanPath(path))
            {
                errors.Add($"{key}.ConsolePath: must start with \"/\" and be at least {MinConsolePathLength} characters, using only letters, digits and - . _ ~ /");
            }
            else if (IsReserved(path))
            {
                errors.Add($"{key}.ConsolePath: must not start with a path the framework uses ({string.Join(", ", ReservedPrefixes)})");
            }
            else if (!paths.Add(path))
            {
                errors.Add($"{key}.ConsolePath: is used by another administrator");
            }

            var visitors = admin.PermittedVisitors ?? [];
            for (var j = 0; j < visitors.Count; j++)
            {
                if (!IsTypeableName(visitors[j]?.Trim() ?? ""))
                {
                    errors.Add($"{key}.PermittedVisitors[{j}]: {NameRule}");
                }
            }

            if (admin.AllowedCountries is { } countries)
            {
                ValidateCountries(countries, $"{key}.AllowedCountries", errors);
            }
        }

        var supers = administrators.Count(a => a is { SuperAdministrator: true });
        if (administrators.Count > 1 && supers != 1)
        {
            errors.Add($"Administrators: exactly one administrator must have \"SuperAdministrator\": true when there are several (found {supers})");
        }
    }

    private static void ValidateIce(IceOptions ice, List<string> errors)
    {
        for (var i = 0; i < ice.StunServers.Count; i++)
        {
            if (!IsIceUrl(ice.StunServers[i], "stun"))
            {
                errors.Add($"Ice.StunServers[{i}]: must be a URL such as stun:stun.example.org:3478");
            }
        }

        for (var i = 0; i < ice.TurnServers.Count; i++)
        {
            if (!IsIceUrl(ice.TurnServers[i], "turn") || TurnUrl.Parse(ice.TurnServers[i]) is null) // what a browser takes (RFC 7065)
            {
                errors.Add($"Ice.TurnServers[{i}]: must be a URL such as turn:turn.example.org:3478?transport=udp");
            }
        }

        if (ice.TurnServers.Count > 0 && ice.TurnSharedSecret.Length < 16)
        {
            errors.Add("Ice.TurnSharedSecret: must be at least 16 characters when Ice.TurnServers is set (use coturn's static-auth-secret)");
        }

        if (ice.TurnServers.Count == 0 && ice.TurnSharedSecret.Length > 0)
        {
            errors.Add("Ice.TurnSharedSecret: is set but Ice.TurnServers is empty, so it would never be used");
        }

        if (ice.TurnCredentialLifetime < TimeSpan.FromMinutes(1) || ice.TurnCredentialLifetime > TimeSpan.FromDays(7))
        {
            errors.Add("Ice.TurnCredentialLifetime: must be between 00:01:00 and 7.00:00:00");
        }

        if (ice.RelayOnly && ice.TurnServers.Count == 0)
        {
            errors.Add("Ice.RelayOnly: needs at least one entry in Ice.TurnServers");
        }
    }

    private static void ValidateGeoblocking(GeoblockingOptions geo, List<string> errors, Func<string, bool> fileExists)
    {
        ValidateCountries(geo.AllowedCountries, "Geoblocking.AllowedCountries", errors);
        if (geo.DatabaseFile.Length > 0 && !fileExists(geo.DatabaseFile))
        {
            errors.Add($"Geoblocking.DatabaseFile: file not found: {geo.DatabaseFile}");
        }

        if (geo.DatabaseFile.Length == 0 && geo.AllowedCountries.Count > 0)
        {
            errors.Add("Geoblocking.DatabaseFile: must be set when Geoblocking.AllowedCountries is not empty");
        }
    }

    private static void ValidateScanGuard(ScanGuardOptions guard, List<string> errors)
    {
        if (guard.Strikes is < 1 or > 1000)
        {
            errors.Add("ScanGuard.Strikes: must be between 1 and 1000");
        }

        if (guard.Window <= TimeSpan.Zero)
        {
            errors.Add("ScanGuard.Window: must be longer than 00:00:00");
        }

        if (guard.BanDuration <= TimeSpan.Zero)
        {
            errors.Add("ScanGuard.BanDuration: must be longer than 00:00:00");
        }

        ValidateNetworks(guard.NeverBan, "ScanGuard.NeverBan", errors);
    }

    private static void ValidateLobby(LobbyOptions lobby, List<string> errors)
    {
        if (lobby.MaxWaiting is < 1 or > 10_000)
        {
            errors.Add("Lobby.MaxWaiting: must be between 1 and 10000");
        }

        if (lobby.MaxWaitingPerAddress < 1 || lobby.MaxWaitingPerAddress > Math.Max(1, lobby.MaxWaiting))
        {
            errors.Add("Lobby.MaxWaitingPerAddress: must be between 1 and Lobby.MaxWaiting");
        }

        if (lobby.MaxRequestsPerAddress is < 1 or > 10_000)
        {
            errors.Add("Lobby.MaxRequestsPerAddress: must be between 1 and 10000");
        }

        if (lobby.RequestWindow < TimeSpan.FromSeconds(1) || lobby.RequestWindow > TimeSpan.FromDays(1))
        {
            errors.Add("Lobby.RequestWindow: must be between 00:00:01 and 1.00:00:00");
        }

        if (lobby.ReconnectGrace < TimeSpan.Zero || lobby.ReconnectGrace > TimeSpan.FromMinutes(10))
        {
            errors.Add("Lobby.ReconnectGrace: must be between 00:00:00 and 00:10:00");
        }
    }

    private static void ValidateCountries(IReadOnlyList<string> countries, string key, List<string> errors)
    {
        for (var i = 0; i < countries.Count; i++)
        {
            if (countries[i] is not { Length: 2 } code || !code.All(char.IsAsciiLetter))
            {
                errors.Add($"{key}[{i}]: must be a two-letter ISO 3166 country code such as \"DE\"");
            }
        }
    }

    private static void ValidateNetworks(IReadOnlyList<string> entries, string key, List<string> errors)
    {
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i] ?? "";
            if (!IPAddress.TryParse(entry, out _) && !IPNetwork.TryParse(entry, out _))
            {
                errors.Add($"{key}[{i}]: must be an IP address or a CIDR range such as 192.0.2.0/24 (is \"{entry}\")");
            }
        }
    }

    /// <summary>
    /// True when <paramref name="path"/> has the shape a console path must have (at least 8 characters of the allowed
    /// set), so that a miss can be told apart, in the record of failed attempts, from any other unknown path.
    /// </summary>
    public static bool LooksLikeConsolePath(string path) =>
        path.Length >= MinConsolePathLength && IsCleanPath(path) && !IsReserved(path);

    // The shapes below are checked by hand, character by character, so that they are exact: a pattern's "$" let a
    // final line break through.
    private static bool IsCleanPath(string path) =>
        path.Length >= 2 && path[0] == '/' && path[^1] != '/' && path.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '~' or '-' or '/')
        && !path.Contains("//", StringComparison.Ordinal) && !path.Split('/').Any(segment => segment is "." or "..");

    /// <summary><c>stun:</c> or <c>stuns:</c> (for <paramref name="scheme"/> "stun"), then 1 to 500 characters with no
    /// space, control character, quote, angle bracket or backslash.</summary>
    private static bool IsIceUrl(string? url, string scheme)
    {
        var colon = url?.IndexOf(':') ?? -1;
        if (colon < 0)
        {
            return false;
        }

        var name = url.AsSpan(0, colon);
        if (!name.SequenceEqual(scheme) && !name.SequenceEqual(scheme + "s"))
        {
            return false;
        }

        var rest = url.AsSpan(colon + 1);
        foreach (var c in rest)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '"' or '\'' or '<' or '>' or '\\')
            {
                return false;
            }
        }

        return rest.Length is > 0 and <= 500;
    }

    private static bool IsReserved(string path) => ReservedPrefixes.Any(prefix =>
        path.Equals(prefix, StringComparison.OrdinalIgnoreCase) || path.StartsWith(prefix + "/", StringComparison.OrdinalIgnoreCase));
}
