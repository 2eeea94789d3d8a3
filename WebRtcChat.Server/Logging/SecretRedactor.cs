using WebRtcChat.Components.Configuration;

namespace WebRtcChat.Server.Logging;

/// <summary>
/// Keeps the secret paths out of a path about to be logged: the path base becomes <c>[base]</c>, a console path
/// <c>[console]</c>, in any case. A near miss (a few characters off, or the secret followed by more) is redacted too,
/// since a typo of a secret is most of the secret.
/// </summary>
public static class SecretRedactor
{
    private const int NearMiss = 3;

    /// <summary>The path as it may appear in a log line at Information level.</summary>
    public static string Redact(string path, WebRtcChatOptions options)
    {
        var pathBase = options.Server.PathBase;
        var rest = path;
        var prefix = "";
        if (pathBase.Length > 0)
        {
            var firstSegmentsLength = PrefixLengthLike(path, pathBase);
            if (firstSegmentsLength > 0)
            {
                prefix = "[base]";
                rest = path[firstSegmentsLength..];
            }
        }

        foreach (var admin in options.Administrators)
        {
            if (PrefixLengthLike(rest, admin.ConsolePath) > 0)
            {
                return prefix + "[console]";
            }
        }

        return prefix + rest;
    }

    // The length of the start of path that is, or nearly is, the secret (a whole number of segments), else 0.
    private static int PrefixLengthLike(string path, string secret)
    {
        if (path.StartsWith(secret, StringComparison.OrdinalIgnoreCase))
        {
            return secret.Length;
        }

        var segments = secret.Count(c => c == '/');
        var end = 0;
        for (var seen = 0; end < path.Length; end++)
        {
            if (path[end] == '/' && end > 0 && ++seen == segments)
            {
                break;
            }
        }

        var candidate = path[..end];
        return Math.Abs(candidate.Length - secret.Length) <= NearMiss
            && Distance(candidate.ToUpperInvariant(), secret.ToUpperInvariant()) <= NearMiss ? end : 0;
    }

    // Levenshtein distance; both strings are short (paths are cut to 200 characters before logging).
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
