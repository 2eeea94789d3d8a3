using System.Globalization;
using System.Text;

namespace WebRtcChat.Tests.Infrastructure;

/// <summary>
/// Ways a request target can spell a path base and a console path behind it, as a prober, a proxy or a confused
/// client might send them (ASCII only, as on the request line), and a check that a text shows neither secret.
/// </summary>
public static class SecretPathEncodings
{
    /// <summary>Each spelling of <c>pathBase + consolePath</c>, with a label saying what it tries.</summary>
    public static IEnumerable<(string Label, string Target)> Of(string pathBase, string consolePath)
    {
        var (b, c) = (pathBase[1..], consolePath[1..]);
        var (c1, c2) = (c[..4], c[4..]); // the console path cut in two, for something inserted inside it
        yield return ("plain", pathBase + consolePath);
        yield return ("upper case", (pathBase + consolePath).ToUpperInvariant());
        yield return ("lower case", (pathBase + consolePath).ToLowerInvariant());
        yield return ("percent-encoded backslashes", $"/%5c{b}%5c{c}");
        yield return ("raw backslashes", $"\\{b}\\{c}");
        yield return ("every character percent-encoded", "/" + Percent(b) + "/" + Percent(c));
        yield return ("every character percent-encoded twice", "/" + Percent(Percent(b)) + "/" + Percent(Percent(c)));
        yield return ("encoded slash", $"{pathBase}%2F{c}");
        yield return ("encoded slash, lower case", $"{pathBase}%2f{c}");
        yield return ("double-encoded slash", $"{pathBase}%252F{c}");
        yield return ("triple-encoded slash", $"{pathBase}%25252F{c}");
        yield return ("IIS %u slash", $"{pathBase}%u002f{c}");
        yield return ("repeated slashes", $"//{b}///{c}");
        yield return ("dot segments", $"{pathBase}/./x/..{consolePath}");
        yield return ("encoded dot segments", $"/x/%2e%2e{pathBase}/%2e{consolePath}");
        yield return ("the secret, then up again", $"{pathBase}{consolePath}/../..");
        yield return ("overlong two-byte slash", $"/{b}%c0%af{c}");
        yield return ("overlong three-byte slash", $"/{b}%e0%80%af{c}");
        yield return ("overlong backslash", $"/{b}%c1%9c{c}");
        yield return ("invalid UTF-8 inside", $"{pathBase}/{c1}%ff{c2}");
        yield return ("a lone continuation byte inside", $"{pathBase}/{c1}%80{c2}");
        yield return ("zero-width space inside", $"{pathBase}/{c1}%e2%80%8b{c2}");
        yield return ("soft hyphen inside", $"{pathBase}/{c1}%c2%ad{c2}");
        yield return ("combining accent inside", $"{pathBase}/{c1}%cc%81{c2}");
        yield return ("tab inside", $"{pathBase}/{c1}%09{c2}");
        yield return ("NUL inside", $"{pathBase}/{c1}%00{c2}");
        yield return ("full-width slash", $"/{b}%ef%bc%8f{c}");
        yield return ("full-width letters", "/" + FullWidth(b) + "/" + FullWidth(c));
        yield return ("division slash", $"/{b}%e2%88%95{c}");
        yield return ("Cyrillic look-alikes", "/" + Cyrillic(b) + "/" + Cyrillic(c));
        yield return ("a semicolon parameter", $"{pathBase};jsessionid=1{consolePath}");
        yield return ("a trailing dot", $"{pathBase}./{c}");
        yield return ("glued to a prefix", $"/x{b}/y{c}");
        yield return ("behind an old prefix", $"/old{pathBase}{consolePath}");
        yield return ("one character off", pathBase[..^1] + "X" + consolePath[..^1] + "X");
        yield return ("cut short", pathBase[..^1] + consolePath[..^2]);
        yield return ("after a long prefix", "/" + new string('a', 1010) + pathBase + consolePath);
        yield return ("after many segments", string.Concat(Enumerable.Repeat("/a", 300)) + pathBase + consolePath);
        yield return ("encoded four times after the server's own decoding", "/" + Percent(Percent(Percent(Percent(Percent(b))))) + "/" + c);
        yield return ("an emoji before it", $"/%F0%9F%98%80{pathBase}{consolePath}");
        yield return ("Hangul fillers between the letters", "/" + Between(b, "%E1%85%9F") + "/" + Between(c, "%E3%85%A4"));
        yield return ("dots between the letters", "/" + Between(b, ".") + "/" + Between(c, "."));
        yield return ("spaces between the letters", "/" + Between(b, "%20") + "/" + Between(c, "%20"));
        yield return ("tag characters between the letters", "/" + Between(b, "%F3%A0%80%81") + "/" + Between(c, "%F3%A0%81%A1"));
        yield return ("dotted capital I for i", (pathBase + consolePath).Replace("i", "%C4%B0", StringComparison.Ordinal));
    }

    /// <summary>
    /// The secrets' runs of six characters (or a whole short segment) that <paramref name="text"/> shows after this
    /// check's own decoding: percent-decoded three times, compatibility-normalised, invisible characters dropped,
    /// backslashes as slashes, the look-alikes above folded, lower case.
    /// </summary>
    public static IReadOnlyList<string> Leaks(string text, params string[] secrets)
    {
        var views = new List<string> { text };
        for (var i = 0; i < 3; i++)
        {
            views.Add(Uri.UnescapeDataString(views[^1]));
        }

        views.AddRange(views.ToList().Select(Fold));
        var pieces = secrets.SelectMany(s => s.Split('/', StringSplitOptions.RemoveEmptyEntries))
            .SelectMany(segment => segment.Length <= 6 ? [segment] : Enumerable.Range(0, segment.Length - 5).Select(i => segment.Substring(i, 6)))
            .Select(p => p.ToLowerInvariant());
        // And the letters and digits alone, whatever was put between them.
        var letters = views.Select(v => LettersAndDigits(Fold(v))).ToList();
        var letterPieces = secrets.Select(s => LettersAndDigits(s.ToLowerInvariant()))
            .SelectMany(s => s.Length < 6 ? [] : Enumerable.Range(0, s.Length - 5).Select(i => s.Substring(i, 6)));
        return [.. pieces.Where(piece => views.Any(v => v.Contains(piece, StringComparison.OrdinalIgnoreCase)))
            .Concat(letterPieces.Where(piece => letters.Any(l => l.Contains(piece, StringComparison.Ordinal)))).Distinct()];
    }

    private static string Fold(string text)
    {
        var folded = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormKD))
        {
            var category = char.GetUnicodeCategory(c);
            if (category is UnicodeCategory.Format or UnicodeCategory.Control or UnicodeCategory.NonSpacingMark || c == '\uFFFD')
            {
                continue;
            }

            folded.Append(c switch { '\\' or '\u2215' => '/', 'а' => 'a', 'е' => 'e', 'о' => 'o', 'с' => 'c', 'к' => 'k', 'х' => 'x', 'і' => 'i', _ => c });
        }

        return folded.ToString().ToLowerInvariant().Replace("//", "/", StringComparison.Ordinal);
    }

    private static string LettersAndDigits(string text) => new([.. text.Where(char.IsAsciiLetterOrDigit)]);

    private static string Between(string text, string filler) => string.Join(filler, text.Select(c => c.ToString()));

    private static string Percent(string text) => string.Concat(Encoding.UTF8.GetBytes(text).Select(b => $"%{b:X2}"));

    private static string FullWidth(string text) =>
        Percent(new string([.. text.Select(c => c is > ' ' and <= '~' ? (char)(c - 0x21 + 0xFF01) : c)]));

    private static string Cyrillic(string text) =>
        string.Concat(text.Select(c => c switch
        {
            'a' => "%D0%B0", 'e' => "%D0%B5", 'o' => "%D0%BE", 'c' => "%D1%81", 'k' => "%D0%BA", 'x' => "%D1%85", 'i' => "%D1%96",
            _ => c.ToString(),
        }));
}
