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

    /// <summary>The largest ICE candidate message accepted, in characters.</summary>
    public const int MaxCandidateLength = 1024;

    /// <summary>Kind of a session description message.</summary>
    public const string Description = "description";

    /// <summary>Kind of an ICE candidate message.</summary>
    public const string Candidate = "candidate";

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
                case Description when payload.Length <= MaxSdpLength + 64:
                    var description = JsonSerializer.Deserialize(payload, SignalJson.Default.DescriptionPayload);
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

                    return JsonSerializer.Serialize(description, SignalJson.Default.DescriptionPayload);
                case Description:
                    reason = "description over 64 KB";
                    return null;
                case Candidate when payload.Length <= MaxCandidateLength:
                    var candidate = JsonSerializer.Deserialize(payload, SignalJson.Default.CandidatePayload);
                    if (candidate is null || candidate.Candidate is null || candidate.Candidate.Length > 512
                        || (candidate.Candidate.Length > 0 && !candidate.Candidate.StartsWith("candidate:", StringComparison.Ordinal))
                        || candidate.SdpMid?.Length > 32 || candidate.SdpMLineIndex is < 0 or > 64 || candidate.UsernameFragment?.Length > 256)
                    {
                        reason = "malformed candidate";
                        return null;
                    }

                    return JsonSerializer.Serialize(candidate, SignalJson.Default.CandidatePayload);
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

[JsonSourceGenerationOptions(UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip, MaxDepth = 4)]
[JsonSerializable(typeof(DescriptionPayload))]
[JsonSerializable(typeof(CandidatePayload))]
internal sealed partial class SignalJson : JsonSerializerContext;
