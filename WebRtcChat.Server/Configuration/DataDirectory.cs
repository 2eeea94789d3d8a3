using System.Security.Cryptography;
using WebRtcChat.Components.Configuration;

namespace WebRtcChat.Server.Configuration;

/// <summary>The data directory and what the server generates into it on a fresh install.</summary>
public static class DataDirectory
{
    private const string ConsolePathFile = "console-path.txt";

    /// <summary>Creates the directory, readable only by the service's user.</summary>
    public static string Ensure(string directory)
    {
        if (!Directory.Exists(directory))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        return directory;
    }

    /// <summary>
    /// With no administrator configured, adds one whose console path is random (128 bits), kept in the data
    /// directory so that it survives restarts, and used until the file names administrators of its own.
    /// </summary>
    public static WebRtcChatOptions WithGeneratedAdministrator(WebRtcChatOptions options)
    {
        if (options.Administrators.Count > 0)
        {
            return options;
        }

        var file = Path.Combine(Ensure(options.Server.DataDirectory), ConsolePathFile);
        var path = File.Exists(file) ? File.ReadAllText(file).Trim() : "";
        if (!path.StartsWith("/console-", StringComparison.Ordinal) || path.Length < 30)
        {
            path = "/console-" + Base64UrlToken(16);
            WriteSecret(file, path + "\n");
        }

        var host = new AdministratorOptions { Name = "host", ConsolePath = path, SuperAdministrator = true, Generated = true };
        return options with { Administrators = [host] };
    }

    /// <summary>Writes a file only the owner may read.</summary>
    public static void WriteSecret(string file, string contents)
    {
        var temp = file + ".tmp";
        var streamOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            streamOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(temp, streamOptions))
        {
            writer.Write(contents);
        }

        File.Move(temp, file, overwrite: true);
    }

    /// <summary>A URL-safe random token of <paramref name="bytes"/> random bytes.</summary>
    public static string Base64UrlToken(int bytes) =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
