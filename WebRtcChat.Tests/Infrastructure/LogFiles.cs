namespace WebRtcChat.Tests.Infrastructure;

/// <summary>Reads the server's rolling log files while the server still writes them.</summary>
public static class LogFiles
{
    public static string ReadAll(string dataDirectory)
    {
        var directory = Path.Combine(dataDirectory, "logs");
        if (!Directory.Exists(directory))
        {
            return "";
        }

        return string.Concat(Directory.GetFiles(directory, "*.log").Order(StringComparer.Ordinal).Select(file =>
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }));
    }
}
