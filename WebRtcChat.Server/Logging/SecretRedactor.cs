using System.Text;
using WebRtcChat.Components.Configuration;

namespace WebRtcChat.Server.Logging;

/// <summary>
/// Keeps the secret paths out of a path about to be logged: the path base becomes <c>[base]</c>, a console path
/// <c>[console]</c>, in any case and any encoding (the path is first read as <see cref="NormalizedPath"/> does, and
/// the log shows that reading). A near miss (a few characters off, or the secret followed by more) is redacted too,
/// since a typo of a secret is most of the secret, and so is any segment that holds six characters of a secret in a
/// row (a secret, or a typo of one, glued to something else).
/// </summary>
public static class SecretRedactor
{
    /// <summary>The most characters of a redacted path a log line shows.</summary>
    public const int MaxLoggedLength = 200;

    /// <summary>A segment holding this many characters of a secret in a row is redacted whole.</summary>
    public const int Shingle = 6;

    private const int NearMiss = 3;

    // A secret segment shorter than this is looked for at segment starts only, not inside segments: "/ab" inside
    // every other word would redact everything and protect nothing.
    private const int MinInnerMatch = 4;

    /// <summary>
    /// The path as it may appear in a log line at Information level. Secrets are looked for at every segment
    /// boundary and inside segments, not only at the start, so an old or mistyped prefix in front of a console path
    /// does not expose it. <paramref name="retiredPathBases"/> are path bases replaced recently, which pages left open
    /// still use.
    /// </summary>
    public static string Redact(string path, WebRtcChatOptions options, IEnumerable<string>? retiredPathBases = null)
    {
        var secrets = SecretsOf(options, [.. retiredPathBases ?? []]);
        var normalized = NormalizedPath.From(path);
        var (display, key) = (normalized.Display, normalized.Key);
        var result = new StringBuilder();
        for (var at = 0; at < display.Length;)
        {
            var segmentEnd = key.IndexOf('/', at + 1) is var next and >= 0 ? next : key.Length;
            var (length, isConsole) = Match(key, at, segmentEnd, secrets);
            if (length == 0)
            {
                result.Append(display, at, segmentEnd - at);
                at = segmentEnd;
                continue;
            }

            if (isConsole)
            {
                result.Append("[console]"); // nothing after a console path is worth keeping
                break;
            }

            result.Append("[base]");
            at += length;
        }

        var text = result.ToString();
        if (normalized.Undecodable || ShowsASecret(text, secrets))
        {
            return "[redacted]";
        }

        return text.Length > MaxLoggedLength ? text[..MaxLoggedLength] + "…" : normalized.Truncated ? text + "…" : text;
    }

    /// <summary>
    /// The last check, on what would be logged: its letters and digits alone (separators, spaces, dots and fillers
    /// dropped, look-alikes folded), piece by piece between the placeholders, must hold no six of a secret's in a row.
    /// A secret spelled out with something between its characters is caught here.
    /// </summary>
    private static bool ShowsASecret(string text, List<Secret> secrets)
    {
        foreach (var piece in text.Split(["[base]", "[console]"], StringSplitOptions.RemoveEmptyEntries))
        {
            var letters = LettersAndDigits(NormalizedPath.Fold(piece));
            if (secrets.Any(s => s.LetterShingles.Any(shingle => letters.Contains(shingle, StringComparison.Ordinal))))
            {
                return true;
            }
        }

        return false;
    }

    private static string LettersAndDigits(string folded) => new([.. folded.Where(char.IsAsciiLetterOrDigit)]);

    // What to cut at the segment starting at `at`: the secret (or near miss) that starts there, else the whole segment
    // when it holds a shingle of a secret, else nothing. A console path wins over a path base.
    private static (int Length, bool IsConsole) Match(string key, int at, int segmentEnd, List<Secret> secrets)
    {
        var best = (Length: 0, IsConsole: false);
        foreach (var secret in secrets)
        {
            var length = PrefixLengthLike(key, at, secret.Key);
            if (length == 0 && secret.Shingles.Any(s => key.AsSpan(at, segmentEnd - at).Contains(s, StringComparison.Ordinal)))
            {
                length = segmentEnd - at;
            }

            if (length > 0 && (secret.IsConsole && !best.IsConsole || (secret.IsConsole == best.IsConsole && length > best.Length)))
            {
                best = (length, secret.IsConsole);
            }
        }

        return best;
    }

    // The secrets of one configuration (and retired bases), made once and reused while they stay the same: this runs
    // on every request, and the configuration changes only when the file is edited.
    // One object, swapped whole, so that a request on another thread reads a consistent set.
    private static volatile SecretSet? _last;

    private static List<Secret> SecretsOf(WebRtcChatOptions options, string[] retired)
    {
        if (_last is { } last && ReferenceEquals(last.Options, options) && last.Retired.SequenceEqual(retired, StringComparer.Ordinal))
        {
            return last.Secrets;
        }

        var secrets = new List<Secret>();
        if (options.Server.PathBase.Length > 0)
        {
            secrets.Add(new Secret(options.Server.PathBase, isConsole: false));
        }

        secrets.AddRange(retired.Select(b => new Secret(b, isConsole: false)));
        secrets.AddRange(options.Administrators.Where(a => a.ConsolePath.Length > 0).Select(a => new Secret(a.ConsolePath, isConsole: true)));
        _last = new SecretSet(options, retired, secrets);
        return secrets;
    }

    private sealed record SecretSet(WebRtcChatOptions Options, string[] Retired, List<Secret> Secrets);

    private static IReadOnlyList<string> ShinglesOf(string text) =>
        text.Length < Shingle ? [] : [.. Enumerable.Range(0, text.Length - Shingle + 1).Select(i => text.Substring(i, Shingle))];

    private sealed class Secret
    {
        public Secret(string path, bool isConsole)
        {
            Key = NormalizedPath.Fold(path);
            IsConsole = isConsole;
            LetterShingles = ShinglesOf(LettersAndDigits(Key));
            Shingles = [.. Key.Split('/', StringSplitOptions.RemoveEmptyEntries)
                .Where(segment => segment.Length >= MinInnerMatch)
                .SelectMany(segment => segment.Length <= Shingle ? [segment] : ShinglesOf(segment))];
        }

        public string Key { get; }

        public bool IsConsole { get; }

        // Every run of Shingle letters and digits of the secret, whatever stands between them.
        public IReadOnlyList<string> LetterShingles { get; }

        // Every run of Shingle characters inside one of the secret's segments (a short segment stands for itself).
        public IReadOnlyList<string> Shingles { get; }
    }

    // The length of the start of key at `at` that is, or nearly is, the secret (a whole number of segments), else 0.
    private static int PrefixLengthLike(string key, int at, string secret)
    {
        if (string.CompareOrdinal(key, at, secret, 0, secret.Length) == 0)
        {
            return secret.Length;
        }

        var segments = secret.Count(c => c == '/');
        var end = at;
        for (var seen = 0; end < key.Length; end++)
        {
            if (key[end] == '/' && end > at && ++seen == segments)
            {
                break;
            }
        }

        var candidate = key[at..end];
        return Math.Abs(candidate.Length - secret.Length) <= NearMiss && Distance(candidate, secret) <= NearMiss ? end - at : 0;
    }

    // Levenshtein distance; both strings are short (the candidate is within NearMiss of the secret's length).
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
