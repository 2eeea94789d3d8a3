using System.Globalization;
using System.Text;
using WebRtcChat.Components.Configuration;

namespace WebRtcChat.Components.Lobby;

/// <summary>What is wrong with a typed name.</summary>
public enum NameProblem
{
    /// <summary>Nothing: the name is fine.</summary>
    None,

    /// <summary>Nothing was typed, or only spaces.</summary>
    Missing,

    /// <summary>More than <see cref="VisitorNames.MaxLength"/> characters.</summary>
    TooLong,

    /// <summary>Control characters, bidirectional overrides, or text that is not valid Unicode.</summary>
    Unusable,

    /// <summary>Only characters drawn as nothing.</summary>
    Invisible,
}

/// <summary>Cleaning and comparing the names people type.</summary>
public static class VisitorNames
{
    /// <summary>The most characters (Unicode scalar values) a name may have.</summary>
    public const int MaxLength = OptionsValidator.MaxNameLength;

    /// <summary>The most UTF-16 code units accepted before any work is done, so huge input costs nothing.</summary>
    public const int MaxInputLength = 1024;

    /// <summary>The error for a name that shows nothing: only spaces, zero-width characters or combining marks.</summary>
    public const string InvisibleError = "Please use at least one visible letter, digit or symbol in your name.";

    /// <summary>
    /// Trims, normalises to NFC, collapses runs of white space, drops the characters drawn as nothing (but those that
    /// shape emoji and some scripts), and checks the result: 1 to 60 characters, at least one of them visible (a
    /// letter, digit, symbol or punctuation), with no control characters and no bidirectional overrides or isolates
    /// (which can make a name display as another).
    /// </summary>
    public static bool TryNormalize(string? input, out string name, out string error)
    {
        var problem = Check(input, out name);
        error = problem switch
        {
            NameProblem.None => "",
            NameProblem.Missing => "Please enter your name.",
            NameProblem.TooLong => $"Please use at most {MaxLength} characters.",
            NameProblem.Invisible => InvisibleError,
            _ => "The name contains characters that cannot be used.",
        };
        return problem == NameProblem.None;
    }

    /// <summary>
    /// As <see cref="TryNormalize"/>, saying what is wrong as a <see cref="NameProblem"/> for the page to word in its
    /// language (<see cref="NameProblem.None"/>: <paramref name="name"/> is the clean name).
    /// </summary>
    public static NameProblem Check(string? input, out string name)
    {
        name = "";
        input ??= ""; // a field never typed in: the name is missing, not too long
        if (input.Length > MaxInputLength)
        {
            return NameProblem.TooLong;
        }

        string normalized;
        try
        {
            normalized = CollapseWhiteSpace(input.Normalize(NormalizationForm.FormC));
        }
        catch (ArgumentException)
        {
            return NameProblem.Unusable;
        }

        if (normalized.Length == 0)
        {
            return NameProblem.Missing;
        }

        if (normalized.EnumerateRunes().Any(rune => !IsAllowed(rune)))
        {
            return NameProblem.Unusable;
        }

        normalized = CollapseWhiteSpace(WithoutInvisibles(normalized));
        if (!normalized.EnumerateRunes().Any(IsVisible))
        {
            return NameProblem.Invisible;
        }

        if (normalized.EnumerateRunes().Count() > MaxLength)
        {
            return NameProblem.TooLong;
        }

        name = normalized;
        return NameProblem.None;
    }

    /// <summary>
    /// The form two names are compared in: compatibility-normalised (NFKC, so full-width letters match), case-folded
    /// and with white space collapsed, without any character drawn as nothing (so "Bob", "B\u200Bob", "B\u200Dob" and
    /// "Bob\u3164" are one name). Used for permitted-name lists and for "Who would you like to reach?".
    /// </summary>
    public static string MatchKey(string name)
    {
        var drawn = string.Concat(name.EnumerateRunes()
            .Where(rune => !IsDefaultIgnorable(rune.Value) && Rune.GetUnicodeCategory(rune) != UnicodeCategory.Format)
            .Select(rune => rune.ToString()));
        return CollapseWhiteSpace(drawn.Normalize(NormalizationForm.FormKC)).ToUpperInvariant().Normalize(NormalizationForm.FormKC);
    }

    /// <summary>True when the name is on the list, or the list is empty (anyone may be called).</summary>
    public static bool IsPermitted(IReadOnlyList<string> permitted, string name)
    {
        if (permitted.Count == 0)
        {
            return true;
        }

        var key = MatchKey(name);
        return permitted.Any(p => MatchKey(p) == key);
    }

    internal static bool IsAllowed(Rune rune)
    {
        var value = rune.Value;
        if (value is (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069) or 0x200E or 0x200F or 0x061C)
        {
            return false; // bidi embeddings, overrides, isolates and marks
        }

        return Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.Control or UnicodeCategory.Surrogate
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator);
    }

    // Unicode's default-ignorable code points: drawn as nothing when a font has no glyph for them (zero-width space,
    // word joiner, byte-order mark, soft hyphen, invisible operators, Hangul fillers, variation selectors, tags…).
    private static bool IsDefaultIgnorable(int value) => value is 0x00AD or 0x034F or 0x061C or 0x115F or 0x1160
        or 0x17B4 or 0x17B5 or (>= 0x180B and <= 0x180F) or (>= 0x200B and <= 0x200F) or (>= 0x202A and <= 0x202E)
        or (>= 0x2060 and <= 0x206F) or 0x3164 or (>= 0xFE00 and <= 0xFE0F) or 0xFEFF or 0xFFA0 or (>= 0xFFF0 and <= 0xFFF8)
        or (>= 0x1BCA0 and <= 0x1BCA3) or (>= 0x1D173 and <= 0x1D17A) or (>= 0xE0000 and <= 0xE0FFF);

    // Of those, the ones that change how the characters around them are drawn stay in a name: the joiners (👩‍💻,
    // Persian words), variation selectors (❤️) and the tags of a subdivision flag (🏴 then tags).
    private static bool ShapesItsNeighbours(Rune rune, Rune? previous) =>
        rune.Value is 0x200C or 0x200D or (>= 0xFE00 and <= 0xFE0F)
        || (rune.Value is >= 0xE0020 and <= 0xE007F && previous?.Value is 0x1F3F4 or (>= 0xE0020 and <= 0xE007F));

    internal static string WithoutInvisibles(string name)
    {
        var builder = new StringBuilder(name.Length);
        Rune? previous = null;
        foreach (var rune in name.EnumerateRunes())
        {
            if (!IsDefaultIgnorable(rune.Value) || ShapesItsNeighbours(rune, previous))
            {
                builder.Append(rune.ToString());
                previous = rune;
            }
        }

        return builder.ToString();
    }

    // Letters, digits, symbols and punctuation that are drawn: not a default-ignorable one, nor the blank Braille
    // pattern or the musical null notehead, which are symbols drawn as nothing.
    internal static bool IsVisible(Rune rune) => !IsDefaultIgnorable(rune.Value) && rune.Value is not (0x2800 or 0x1D159) && Rune.GetUnicodeCategory(rune) is
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
        or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
        or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
        or UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol or UnicodeCategory.OtherSymbol
        or UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
        or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
        or UnicodeCategory.OtherPunctuation;

    internal static string CollapseWhiteSpace(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
