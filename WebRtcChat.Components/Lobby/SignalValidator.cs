using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WebRtcChat.Components.Lobby;

/// <summary>
/// Checks one signaling message from a browser before it may reach the other party. The payload is parsed and
/// written again from known fields only, so whatever else a hostile page puts in it is dropped.
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

    /// <summary>The largest ICE candidate message accepted, in characters.</summary>
    public const int MaxCandidateLength = 1024;

    /// <summary>Kind of a session description message.</summary>
    public const string Description = "description";

    /// <summary>Kind of an ICE candidate message.</summary>
    public const string Candidate = "candidate";

    // A description's JSON before it is read: 64 KB of SDP even with every character escaped (two for one, as
    // only printable ASCII, tabs and line breaks are accepted), and the JSON around it.
    private const int MaxDescriptionJsonLength = (2 * MaxSdpLength) + 64;

    // Written again for the other browser, which only JSON.parses it: no HTML-safe escaping that would inflate it.
    private static readonly SignalJson Json = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
        MaxDepth = 4,
    });

    /// <summary>A local description as the JSON payload <see cref="Validate"/> takes.</summary>
    public static string DescriptionJson(string? type, string? sdp) =>
        JsonSerializer.Serialize(new DescriptionPayload(type, sdp), Json.DescriptionPayload);

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

    /// <summary>Returns the clean payload, or null with a reason.</summary>
    public static string? Validate(string? kind, string? payload, out string reason)
    {
        reason = "";
        if (payload is null)
        {
            reason = "no payload";
            return null;
        }

        try
        {
            switch (kind)
            {
                case Description when payload.Length <= MaxDescriptionJsonLength:
                    var description = JsonSerializer.Deserialize(payload, Json.DescriptionPayload);
                    if (description is not { Type: "offer" or "answer" or "rollback" })
                    {
                        reason = "description type must be offer, answer or rollback";
                        return null;
                    }

                    if ((description.Sdp?.Length ?? 0) > MaxSdpLength || (description.Type != "rollback" && string.IsNullOrEmpty(description.Sdp)))
                    {
                        reason = "SDP missing or over 64 KB";
                        return null;
                    }

                    if (CountMediaSections(description.Sdp) > MaxMediaSections)
                    {
                        reason = $"SDP with more than {MaxMediaSections} media sections";
                        return null;
                    }

                    if (description.Sdp is not null && !IsPlainText(description.Sdp))
                    {
                        reason = "SDP with characters other than printable ASCII, tabs and line breaks";
                        return null;
                    }

                    if (description.Sdp is not null && HasLongMid(description.Sdp))
                    {
                        reason = $"SDP with a media id over {MaxMidLength} characters";
                        return null;
                    }

                    return JsonSerializer.Serialize(description, Json.DescriptionPayload);
                case Description:
                    reason = "description over 64 KB";
                    return null;
                case Candidate when payload.Length <= MaxCandidateLength:
                    var candidate = JsonSerializer.Deserialize(payload, Json.CandidatePayload);
                    if (candidate is null || candidate.Candidate is null || candidate.Candidate.Length > 512
                        || (candidate.Candidate.Length > 0 && !candidate.Candidate.StartsWith("candidate:", StringComparison.Ordinal))
                        || candidate.SdpMid?.Length > MaxMidLength || candidate.SdpMLineIndex is < 0 or > 64 || candidate.UsernameFragment?.Length > 256)
                    {
                        reason = "malformed candidate";
                        return null;
                    }

                    return JsonSerializer.Serialize(candidate, Json.CandidatePayload);
                case Candidate:
                    reason = "candidate over 1 KB";
                    return null;
                default:
                    reason = "unknown kind";
                    return null;
            }
        }
        catch (JsonException)
        {
            reason = "payload is not valid JSON of the expected shape";
            return null;
        }
    }
}

/// <summary>An RTCSessionDescriptionInit.</summary>
public sealed record DescriptionPayload(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("sdp")] string? Sdp);

/// <summary>An RTCIceCandidateInit.</summary>
public sealed record CandidatePayload(
    [property: JsonPropertyName("candidate")] string? Candidate,
    [property: JsonPropertyName("sdpMid")] string? SdpMid,
    [property: JsonPropertyName("sdpMLineIndex")] int? SdpMLineIndex,
    [property: JsonPropertyName("usernameFragment")] string? UsernameFragment);

[JsonSerializable(typeof(DescriptionPayload))]
[JsonSerializable(typeof(CandidatePayload))]
internal sealed partial class SignalJson : JsonSerializerContext;
