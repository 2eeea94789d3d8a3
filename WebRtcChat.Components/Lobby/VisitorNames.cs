using System.Globalization;
using System.Text;
using WebRtcChat.Components.Configuration;

namespace WebRtcChat.Components.Lobby;

/// <summary>Cleaning and comparing the names people type.</summary>
public static class VisitorNames
{
    /// <summary>The most characters (Unicode scalar values) a name may have.</summary>
    public const int MaxLength = OptionsValidator.MaxNameLength;

    /// <summary>The most UTF-16 code units accepted before any work is done, so huge input costs nothing.</summary>
    public const int MaxInputLength = 1024;

    /// <summary>
    /// Trims, normalises to NFC, collapses runs of white space, and checks the result: 1 to 60 characters, with no
    /// control characters and no bidirectional overrides or isolates (which can make a name display as another).
    /// </summary>
    public static bool TryNormalize(string? input, out string name, out string error)
    {
        name = "";
        if (input is null || input.Length > MaxInputLength)
        {
            error = $"Please use at most {MaxLength} characters.";
            return false;
        }

        string normalized;
        try
        {
            normalized = CollapseWhiteSpace(input.Normalize(NormalizationForm.FormC));
        }
        catch (ArgumentException)
        {
            error = "The name contains characters that cannot be used.";
            return false;
        }

        if (normalized.Length == 0)
        {
            error = "Please enter your name.";
            return false;
        }

        var runes = 0;
        foreach (var rune in normalized.EnumerateRunes())
        {
            runes++;
            if (!IsAllowed(rune))
            {
                error = "The name contains characters that cannot be used.";
                return false;
            }
        }

        if (runes > MaxLength)
        {
            error = $"Please use at most {MaxLength} characters.";
            return false;
        }

        name = normalized;
        error = "";
        return true;
    }

    /// <summary>
    /// The form two names are compared in: compatibility-normalised (NFKC, so full-width letters match), case-folded
    /// and with white space collapsed. Used for permitted-name lists and for "Who would you like to reach?".
    /// </summary>
    public static string MatchKey(string name) =>
        CollapseWhiteSpace(name.Normalize(NormalizationForm.FormKC)).ToUpperInvariant().Normalize(NormalizationForm.FormKC);

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

    private static bool IsAllowed(Rune rune)
    {
        var value = rune.Value;
        if (value is (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069) or 0x200E or 0x200F or 0x061C or 0xFEFF)
        {
            return false; // bidi embeddings, overrides, isolates and marks; byte-order mark
        }

        return Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.Control or UnicodeCategory.Surrogate
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator);
    }

    private static string CollapseWhiteSpace(string text)
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
