namespace WebRtcChat.Components.Lobby;

/// <summary>"Firefox 128 on Windows" from a User-Agent header, enough for a host to tell visitors apart.</summary>
public static class BrowserSummary
{
    private static readonly (string Token, string Name)[] Browsers =
    [
        ("Edg/", "Edge"), ("OPR/", "Opera"), ("SamsungBrowser/", "Samsung Internet"), ("Firefox/", "Firefox"),
        ("FxiOS/", "Firefox"), ("CriOS/", "Chrome"), ("Chromium/", "Chromium"), ("Chrome/", "Chrome"), ("Version/", "Safari"),
    ];

    private static readonly (string Token, string Name)[] Systems =
    [
        ("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iPadOS"), ("CrOS", "ChromeOS"), ("Windows", "Windows"),
        ("Mac OS X", "macOS"), ("Macintosh", "macOS"), ("Linux", "Linux"),
    ];

    /// <summary>Summarises the header; unknown or missing parts become "Unknown browser" or are left out.</summary>
    public static string Describe(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return "Unknown browser";
        }

        var ua = userAgent.Length > 512 ? userAgent[..512] : userAgent;
        var browser = "Unknown browser";
        foreach (var (token, name) in Browsers)
        {
            var at = ua.IndexOf(token, StringComparison.Ordinal);
            if (at >= 0 && (token != "Version/" || ua.Contains("Safari/", StringComparison.Ordinal)))
            {
                var version = new string([.. ua[(at + token.Length)..].TakeWhile(char.IsAsciiDigit).Take(4)]);
                browser = version.Length > 0 ? $"{name} {version}" : name;
                break;
            }
        }

        var system = Systems.FirstOrDefault(s => ua.Contains(s.Token, StringComparison.Ordinal)).Name;
        return system is null ? browser : $"{browser} on {system}";
    }
}
