using System.Globalization;
using System.Text;

namespace WebRtcChat.Server.Logging;

/// <summary>
/// A request path read the way the most lenient server, proxy or browser might read it, so that redaction looks at
/// what a secret could have been written as, not only at its plain form: percent-decoded until nothing changes (at
/// most sixteen times, with IIS's <c>%uXXXX</c> too), with overlong UTF-8 read as the character it spells and invalid
/// bytes dropped, compatibility-normalised (full-width letters, ligatures), backslashes and slash look-alikes made
/// slashes, invisible characters dropped, repeated slashes merged and dot segments resolved.
/// <see cref="Display"/> is that path with its letter case; <see cref="Key"/> is the same path folded for comparing
/// (lower case, accents and Cyrillic or Greek look-alikes of Latin letters folded), one character for each of
/// <see cref="Display"/>'s, so a match found in the key can be cut out of the display.
/// </summary>
public sealed record NormalizedPath(string Display, string Key, bool Truncated, bool Undecodable = false)
{
    /// <summary>The most characters of a raw path that are read; a longer one is cut at a segment boundary.</summary>
    public const int MaxInputLength = 1024;

    // Each round of a nested %25 shortens the path, so this many rounds read any nesting a 1 KB path can hold that
    // is not plainly absurd; a path still changing after them is reported as Undecodable.
    private const int DecodeRounds = 16;

    /// <summary>Reads <paramref name="path"/> as described above.</summary>
    public static NormalizedPath From(string path)
    {
        var truncated = path.Length > MaxInputLength;
        var text = truncated ? path[..MaxInputLength] : path;
        var undecodable = true;
        for (var round = 0; round < DecodeRounds; round++)
        {
            var decoded = PercentDecode(text);
            if (decoded == text)
            {
                undecodable = false;
                break;
            }

            text = decoded;
        }

        text = DropLoneSurrogates(text).Normalize(NormalizationForm.FormKC);
        var segments = new List<string>();
        foreach (var segment in Clean(text).Split('/'))
        {
            switch (segment)
            {
                case "" or ".":
                    break;
                case "..":
                    if (segments.Count > 0)
                    {
                        segments.RemoveAt(segments.Count - 1);
                    }

                    break;
                default:
                    segments.Add(segment);
                    break;
            }
        }

        if (truncated && segments.Count > 0)
        {
            segments.RemoveAt(segments.Count - 1); // the cut may have split a secret; its start is most of it
        }

        var trailingSlash = text.Length > 0 && IsSlash(text[^1]) && segments.Count > 0;
        var display = "/" + string.Join('/', segments) + (trailingSlash ? "/" : "");
        return new NormalizedPath(display, Fold(display), truncated, undecodable);
    }

    /// <summary>The comparison form of a text: each character folded alone, so the result has the same length.</summary>
    public static string Fold(string text) => string.Create(text.Length, text, static (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            span[i] = FoldChar(source[i]);
        }
    });

    private static char FoldChar(char c)
    {
        if (char.IsSurrogate(c))
        {
            return c; // half of a character outside the BMP: no Latin letter looks like one
        }

        var lower = char.ToLowerInvariant(c);
        if (lower < 0x80)
        {
            return lower;
        }

        if (LookAlikes.TryGetValue(lower, out var latin))
        {
            return latin;
        }

        var decomposed = lower.ToString().Normalize(NormalizationForm.FormD); // é → e + accent, İ → I + dot
        return decomposed.Length > 1 && decomposed[0] < 0x80 ? char.ToLowerInvariant(decomposed[0]) : lower;
    }

    // Cyrillic and Greek letters drawn like Latin ones, and dashes drawn like the hyphen-minus.
    private static readonly Dictionary<char, char> LookAlikes = new()
    {
        ['а'] = 'a', ['в'] = 'b', ['е'] = 'e', ['ё'] = 'e', ['к'] = 'k', ['м'] = 'm', ['н'] = 'h', ['о'] = 'o', ['р'] = 'p',
        ['с'] = 'c', ['т'] = 't', ['у'] = 'y', ['х'] = 'x', ['і'] = 'i', ['ї'] = 'i', ['ј'] = 'j', ['ѕ'] = 's', ['ԁ'] = 'd',
        ['ԛ'] = 'q', ['ԝ'] = 'w', ['һ'] = 'h', ['ӏ'] = 'l', ['ց'] = 'g', ['օ'] = 'o',
        ['α'] = 'a', ['β'] = 'b', ['ε'] = 'e', ['η'] = 'n', ['ι'] = 'i', ['κ'] = 'k', ['ν'] = 'v', ['ο'] = 'o', ['ρ'] = 'p',
        ['τ'] = 't', ['υ'] = 'u', ['χ'] = 'x', ['ζ'] = 'z', ['ı'] = 'i',
        ['\u2010'] = '-', ['\u2011'] = '-', ['\u2012'] = '-', ['\u2013'] = '-', ['\u2014'] = '-', ['\u2015'] = '-',
        ['\u2212'] = '-', ['\u2043'] = '-', ['\uFE58'] = '-', ['\uFE63'] = '-',
    };

    private static bool IsSlash(char c) => c is '/' or '\\' or '\u2215' or '\u2044' or '\u2571' or '\u29F8' or '\u2216' or '\u29F5' or '\u29F9' or '\u2572';

    // Slash look-alikes become '/'; what a reader cannot see (controls, format characters, combining marks, fillers,
    // the replacement character) goes, so it cannot hide a secret from a plain comparison. Read by whole characters,
    // so that those outside the BMP (tags, variation selectors) are seen for what they are.
    private static string Clean(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.IsBmp && IsSlash((char)rune.Value))
            {
                builder.Append('/');
                continue;
            }

            var category = Rune.GetUnicodeCategory(rune);
            if (rune.Value is 0xFFFD or 0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x2800 or 0x1D159
                || category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.NonSpacingMark
                    or UnicodeCategory.EnclosingMark or UnicodeCategory.SpacingCombiningMark)
            {
                continue;
            }

            builder.Append(rune.ToString());
        }

        return builder.ToString();
    }

    private static string DropLoneSurrogates(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(text, i++, 2);
            }
            else if (!char.IsSurrogate(text[i]))
            {
                builder.Append(text[i]);
            }
        }

        return builder.ToString();
    }

    // One round of percent-decoding: runs of %XX become bytes read as lenient UTF-8; %uXXXX becomes its character.
    private static string PercentDecode(string text)
    {
        var builder = new StringBuilder(text.Length);
        var bytes = new List<byte>();
        for (var i = 0; i < text.Length;)
        {
            if (text[i] == '%' && IsHex(text, i + 1, 2))
            {
                bytes.Add(byte.Parse(text.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 3;
                continue;
            }

            LenientUtf8(bytes, builder);
            if (text[i] == '%' && i + 1 < text.Length && (text[i + 1] is 'u' or 'U') && IsHex(text, i + 2, 4))
            {
                builder.Append((char)int.Parse(text.AsSpan(i + 2, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 6;
                continue;
            }

            builder.Append(text[i++]);
        }

        LenientUtf8(bytes, builder);
        return builder.ToString();
    }

    private static bool IsHex(string text, int start, int count)
    {
        if (start + count > text.Length)
        {
            return false;
        }

        for (var i = start; i < start + count; i++)
        {
            if (!char.IsAsciiHexDigit(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    // UTF-8 as an old, careless decoder read it: an overlong form (C0 AF for '/') is the character it spells; a byte
    // that starts or continues nothing is dropped.
    private static void LenientUtf8(List<byte> bytes, StringBuilder builder)
    {
        for (var i = 0; i < bytes.Count;)
        {
            var lead = bytes[i];
            var length = lead < 0x80 ? 1 : lead >= 0xF0 && lead < 0xF8 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
            if (length == 0 || i + length > bytes.Count || !Continues(bytes, i + 1, length - 1))
            {
                i++; // a stray continuation byte, a cut sequence, or F8..FF
                continue;
            }

            var value = length == 1 ? lead : lead & (0x7F >> length);
            for (var k = 1; k < length; k++)
            {
                value = (value << 6) | (bytes[i + k] & 0x3F);
            }

            if (value <= 0x10FFFF && value is not (>= 0xD800 and <= 0xDFFF))
            {
                builder.Append(char.ConvertFromUtf32(value));
            }

            i += length;
        }

        bytes.Clear();
    }

    private static bool Continues(List<byte> bytes, int start, int count)
    {
        for (var i = start; i < start + count; i++)
        {
            if ((bytes[i] & 0xC0) != 0x80)
            {
                return false;
            }
        }

        return true;
    }
}
