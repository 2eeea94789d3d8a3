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

    /// <summary>
    /// The path as it may appear in a log line at Information level. Secrets are looked for at every segment
    /// boundary, not only at the start, so an old or mistyped prefix in front of a console path does not expose it.
    /// <paramref name="retiredPathBases"/> are path bases replaced recently, which pages left open still use.
    /// </summary>
    public static string Redact(string path, WebRtcChatOptions options, IEnumerable<string>? retiredPathBases = null)
    {
        var bases = new List<string>();
        if (options.Server.PathBase.Length > 0)
        {
            bases.Add(options.Server.PathBase);
        }

        bases.AddRange(retiredPathBases ?? []);
        var result = new System.Text.StringBuilder();
        var at = 0;
        while (at < path.Length)
        {
            var rest = path[at..];
            if (options.Administrators.Any(admin => PrefixLengthLike(rest, admin.ConsolePath) > 0))
            {
                return result.Append("[console]").ToString(); // nothing after a console path is worth keeping
            }

            var baseLength = bases.Select(b => PrefixLengthLike(rest, b)).DefaultIfEmpty(0).Max();
            if (baseLength > 0)
            {
                result.Append("[base]");
                at += baseLength;
                continue;
            }

            var next = path.IndexOf('/', at + 1);
            next = next < 0 ? path.Length : next;
            result.Append(path, at, next - at);
            at = next;
        }

        return result.ToString();
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
