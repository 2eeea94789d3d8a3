using System.Text.Json.Serialization;

namespace WebRtcChat.Components.Signaling;

/// <summary>
/// Checks one signaling message from a browser before it may reach the other party. Payloads cross the interop as
/// records of known fields only, so whatever else a hostile page puts in them is dropped on the way in; this checks
/// what is left against the bounds.
/// </summary>
public static class SignalValidator
{
    /// <summary>The largest SDP accepted, in characters.</summary>
    public const int MaxSdpLength = 64 * 1024;

    /// <summary>
    /// The most media sections an SDP may have. A call needs two or three; a hostile offer with hundreds would make
    /// the other browser answer with more than the size bound.
    /// </summary>
    public const int MaxMediaSections = 16;

    /// <summary>
    /// The longest media id (<c>a=mid</c>, a candidate's <c>sdpMid</c>) accepted. Browsers use "0", "1"…; bounding it
    /// in descriptions too means a hostile peer cannot make an honest browser write candidates this check refuses.
    /// </summary>
    public const int MaxMidLength = 32;

    /// <summary>The longest candidate line accepted, in characters.</summary>
    public const int MaxCandidateLineLength = 512;

    /// <summary>The longest ICE username fragment accepted, in characters.</summary>
    public const int MaxUsernameFragmentLength = 256;

    /// <summary>
    /// The largest ICE candidate accepted, all fields together, in characters: the field bounds keep every accepted
    /// candidate within it.
    /// </summary>
    public const int MaxCandidateLength = 1024;

    /// <summary>Returns the description to forward, or null with a reason.</summary>
    public static DescriptionPayload? Validate(DescriptionPayload? description, out string reason)
    {
        reason = description switch
        {
            null => "no description",
            { Type: not ("offer" or "answer" or "rollback") } => "description type must be offer, answer or rollback",
            _ when (description.Sdp?.Length ?? 0) > MaxSdpLength || (description.Type != "rollback" && string.IsNullOrEmpty(description.Sdp)) => "SDP missing or over 64 KB",
            _ when CountMediaSections(description.Sdp) > MaxMediaSections => $"SDP with more than {MaxMediaSections} media sections",
            _ when description.Sdp is not null && !IsPlainText(description.Sdp) => "SDP with characters other than printable ASCII, tabs and line breaks",
            _ when description.Sdp is not null && HasLongMid(description.Sdp) => $"SDP with a media id over {MaxMidLength} characters",
            _ => "",
        };
        return reason.Length == 0 ? new DescriptionPayload(description!.Type, description.Type == "rollback" ? null : description.Sdp) : null;
    }

    /// <summary>Returns the candidate to forward, or null with a reason.</summary>
    public static CandidatePayload? Validate(CandidatePayload? candidate, out string reason)
    {
        var wellFormed = candidate is { Candidate: { Length: <= MaxCandidateLineLength } line }
            && (line.Length == 0 || line.StartsWith("candidate:", StringComparison.Ordinal))
            && candidate.SdpMid is null or { Length: <= MaxMidLength }
            && candidate.SdpMLineIndex is null or (>= 0 and <= 64)
            && candidate.UsernameFragment is null or { Length: <= MaxUsernameFragmentLength };
        reason = wellFormed ? "" : "malformed candidate";
        return wellFormed ? candidate : null;
    }

    // What browsers write into an SDP. Anything else (an emoji escapes to twelve characters) is refused, which keeps
    // the forwarded JSON within twice the SDP's length.
    private static bool IsPlainText(string sdp)
    {
        foreach (var c in sdp)
        {
            if (c is not ((>= ' ' and <= '~') or '\r' or '\n' or '\t'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasLongMid(string sdp)
    {
        for (var at = 0; (at = sdp.IndexOf("a=mid:", at, StringComparison.Ordinal)) >= 0; at += 6)
        {
            var end = sdp.IndexOfAny(['\r', '\n'], at);
            if ((at == 0 || sdp[at - 1] == '\n') && (end < 0 ? sdp.Length : end) - (at + 6) > MaxMidLength)
            {
                return true;
            }
        }

        return false;
    }

    private static int CountMediaSections(string? sdp)
    {
        var count = 0;
        for (var at = 0; sdp is not null && (at = sdp.IndexOf("m=", at, StringComparison.Ordinal)) >= 0; at += 2)
        {
            if (at == 0 || sdp[at - 1] == '\n')
            {
                count++;
            }
        }

        return count;
    }
}

/// <summary>A description or a candidate, as one side's browser sent it and the other's will take it.</summary>
public abstract record SignalPayload;

/// <summary>An RTCSessionDescriptionInit.</summary>
public sealed record DescriptionPayload(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("sdp")] string? Sdp) : SignalPayload;

/// <summary>An RTCIceCandidateInit.</summary>
public sealed record CandidatePayload(
    [property: JsonPropertyName("candidate")] string? Candidate,
    [property: JsonPropertyName("sdpMid")] string? SdpMid,
    [property: JsonPropertyName("sdpMLineIndex")] int? SdpMLineIndex,
    [property: JsonPropertyName("usernameFragment")] string? UsernameFragment) : SignalPayload;
