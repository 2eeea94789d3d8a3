using System.Text;

namespace WebRtcChat.Components.Lobby;

/// <summary>
/// The short lines a host sends a waiting visitor ("Back in 5 minutes") and the reason given with Dismiss: cleaned as
/// names are (<see cref="VisitorNames"/>), one line, bounded, and only ever rendered as text.
/// </summary>
public static class HostNotes
{
    /// <summary>The most characters (Unicode scalar values) a line may have.</summary>
    public const int MaxLength = 200;

    /// <summary>The most UTF-16 code units accepted before any work is done, so huge input costs nothing.</summary>
    public const int MaxInputLength = 2048;

    /// <summary>The most lines one visitor is sent within <see cref="Window"/>: each replaces the one before, so more is noise.</summary>
    public const int MaxPerWindow = 5;

    /// <summary>The sliding window of <see cref="MaxPerWindow"/>.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Normalises to NFC, makes one line of it (line breaks and runs of white space become one space), drops the
    /// characters drawn as nothing (but those that shape emoji and some scripts), and checks the result: 1 to
    /// <see cref="MaxLength"/> characters, at least one visible, no control characters and no bidirectional overrides
    /// or isolates (which could make the line read as something else).
    /// </summary>
    public static bool TryNormalize(string? input, out string text, out string error)
    {
        text = "";
        input ??= "";
        if (input.Length > MaxInputLength)
        {
            error = $"Please keep it to {MaxLength} characters.";
            return false;
        }

        string normalized;
        try
        {
            normalized = VisitorNames.CollapseWhiteSpace(input.Normalize(NormalizationForm.FormC));
        }
        catch (ArgumentException)
        {
            error = "The note contains characters that cannot be used.";
            return false; // a lone surrogate
        }

        if (normalized.Length == 0)
        {
            error = "Please type a note.";
            return false;
        }

        if (normalized.EnumerateRunes().Any(rune => !VisitorNames.IsAllowed(rune)))
        {
            error = "The note contains characters that cannot be used.";
            return false;
        }

        normalized = VisitorNames.CollapseWhiteSpace(VisitorNames.WithoutInvisibles(normalized));
        if (!normalized.EnumerateRunes().Any(VisitorNames.IsVisible))
        {
            error = "Please use at least one visible letter, digit or symbol.";
            return false;
        }

        if (normalized.EnumerateRunes().Count() > MaxLength)
        {
            error = $"Please keep it to {MaxLength} characters.";
            return false;
        }

        text = normalized;
        error = "";
        return true;
    }

    /// <summary>
    /// The reason given with Dismiss: none when nothing was typed (only white space counts as nothing), otherwise a
    /// line as <see cref="TryNormalize"/> cleans it, or false with why not.
    /// </summary>
    public static bool TryNormalizeReason(string? input, out string? reason, out string error)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            (reason, error) = (null, "");
            return true;
        }

        var valid = TryNormalize(input, out var text, out error);
        reason = valid ? text : null;
        return valid;
    }
}
