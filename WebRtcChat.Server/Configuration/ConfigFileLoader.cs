using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using WebRtcChat.Components.Configuration;

namespace WebRtcChat.Server.Configuration;

/// <summary>The outcome of reading the configuration file: a valid configuration, or every reason it is not.</summary>
public sealed record ConfigLoadResult(WebRtcChatOptions? Options, IReadOnlyList<string> Errors, byte[] ContentHash);

/// <summary>
/// Reads <c>webrtcchat.json</c> (JSON with comments and trailing commas), rejects unknown keys so that nothing the
/// user wrote is silently ignored, resolves relative file names against the file's own directory, and validates.
/// </summary>
public sealed partial class ConfigFileLoader(string path, bool mustExist)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        PropertyNameCaseInsensitive = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        NumberHandling = JsonNumberHandling.Strict,
        // "PathBase" twice (in any letter case) would otherwise let the last one win without a word.
        AllowDuplicateProperties = false,
    };

    /// <summary>The configuration file used when neither <c>--config</c> nor <c>WEBRTCCHAT_CONFIG</c> names one.</summary>
    public const string DefaultFile = "appconfig/webrtcchat.json";

    /// <summary>
    /// The loader of the file named by <c>--config PATH</c> (<paramref name="named"/>), else <c>WEBRTCCHAT_CONFIG</c>,
    /// else <see cref="DefaultFile"/>, which may be absent (the embedded defaults then apply); a named file must exist.
    /// </summary>
    public static ConfigFileLoader For(string? named)
    {
        named ??= Environment.GetEnvironmentVariable("WEBRTCCHAT_CONFIG");
        return string.IsNullOrWhiteSpace(named) ? new(DefaultFile, mustExist: false) : new(named, mustExist: true);
    }

    /// <summary>The full path of the configuration file.</summary>
    public string FilePath { get; } = Path.GetFullPath(path);

    /// <summary>The directory relative paths in the file are resolved against.</summary>
    public string BaseDirectory => Path.GetDirectoryName(FilePath)!;

    /// <summary>Reads and validates the file as it is now.</summary>
    public ConfigLoadResult Load() => Load(missingIsDefaults: !mustExist);

    /// <summary>
    /// Reads and validates the file as it is now. Once the server runs, a file that went missing is an error like
    /// any bad edit (the last good configuration stays), never a silent switch to the embedded defaults; its result
    /// carries the same content hash as the defaults, so a server started without a file sees no change.
    /// </summary>
    public ConfigLoadResult Load(bool missingIsDefaults)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(FilePath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // No file at the default location: run on the embedded defaults.
            return missingIsDefaults
                ? Finish(new WebRtcChatOptions(), [])
                : new ConfigLoadResult(null, [$"{FilePath}: cannot be read: the file is missing"], SHA256.HashData([]));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new ConfigLoadResult(null, [$"{FilePath}: cannot be read: {e.Message}"], []);
        }

        WebRtcChatOptions? options;
        try
        {
            options = JsonSerializer.Deserialize<WebRtcChatOptions>(bytes, JsonOptions);
        }
        catch (JsonException e)
        {
            return new ConfigLoadResult(null, [Describe(e)], SHA256.HashData(bytes));
        }

        if (options is null)
        {
            return new ConfigLoadResult(null, [$"{FilePath}: must contain a JSON object, not null"], SHA256.HashData(bytes));
        }

        return Finish(options, bytes);
    }

    private ConfigLoadResult Finish(WebRtcChatOptions options, byte[] bytes)
    {
        var normalized = Normalize(options);
        var errors = OptionsValidator.Validate(normalized).ToList();
        // A secret path that looks like a scanner's would get its own user banned on the first visit.
        if (ScanGuard.ScannerPaths.IsScannerPath(normalized.Server.PathBase))
        {
            errors.Add("Server.PathBase: looks like a path scanners probe (see WebRtcChat.Server/ScanGuard/scanner-paths.txt); choose another");
        }

        for (var i = 0; i < normalized.Administrators.Count; i++)
        {
            if (ScanGuard.ScannerPaths.IsScannerPath(normalized.Server.PathBase + normalized.Administrators[i]?.ConsolePath))
            {
                errors.Add($"Administrators[{i}].ConsolePath: looks like a path scanners probe (see WebRtcChat.Server/ScanGuard/scanner-paths.txt); choose another");
            }
        }

        return new ConfigLoadResult(errors.Count == 0 ? normalized : null, errors, SHA256.HashData(bytes));
    }

    private WebRtcChatOptions Normalize(WebRtcChatOptions options) => options with
    {
        Server = options.Server with
        {
            CertificateFile = Resolve(options.Server.CertificateFile),
            KeyFile = Resolve(options.Server.KeyFile),
            DataDirectory = Resolve(options.Server.DataDirectory),
        },
        Administrators = [.. options.Administrators.Select(a => a is null ? a! : a with
        {
            Name = a.Name?.Trim() ?? "",
            AllowedCountries = a.AllowedCountries?.Select(c => c?.ToUpperInvariant() ?? "").ToArray(),
            // With one host, that host is the super administrator, whether the file says so or not.
            SuperAdministrator = a.SuperAdministrator || options.Administrators.Count == 1,
        })],
        Geoblocking = options.Geoblocking with
        {
            DatabaseFile = Resolve(options.Geoblocking.DatabaseFile),
            AllowedCountries = [.. options.Geoblocking.AllowedCountries.Select(c => c?.ToUpperInvariant() ?? "")],
        },
    };

    private string Resolve(string file) =>
        string.IsNullOrWhiteSpace(file) ? "" : Path.GetFullPath(file, BaseDirectory);

    // System.Text.Json says "Path: $.Server.Port | LineNumber: 2 | ..."; users want the key and a 1-based line.
    private string Describe(JsonException e)
    {
        var key = (e.Path ?? "$").TrimStart('$').TrimStart('.');
        var line = e.LineNumber is { } n ? $" line {n + 1}" : "";
        var message = e.Message;
        var unknown = UnknownProperty().Match(message);
        if (unknown.Success)
        {
            // The path already ends with the unknown property's name.
            var name = key.Length > 0 ? key : unknown.Groups[1].Value;
            return $"{Path.GetFileName(FilePath)}{line}: {name}: unknown key (check its spelling and section)";
        }

        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut > 0)
        {
            message = message[..cut];
        }

        if (message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
        {
            message = "has the wrong type of value (a number, text, true/false, list or section was expected)";
        }
        else if (message.StartsWith("Duplicate property", StringComparison.Ordinal))
        {
            message = "is given twice (keys are not case-sensitive); keep one";
        }

        return $"{Path.GetFileName(FilePath)}{line}: {(key.Length > 0 ? key + ": " : "")}{message}";
    }

    [GeneratedRegex("The JSON property '([^']{0,100})' could not be mapped")]
    private static partial Regex UnknownProperty();
}
