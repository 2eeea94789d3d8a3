using Microsoft.Extensions.Logging;
using WebRtcChat.Components.Lobby;

namespace WebRtcChat.Components.Signaling;

/// <summary>
/// Passes signaling between the two parties of an answered call, and nobody else: each description or candidate is
/// checked by <see cref="SignalValidator"/>, then handed to the lobby, which writes it into the inbox of the other
/// party's page that is in the call.
/// </summary>
public sealed class SignalRelay(Lobby.Lobby lobby, ILogger<SignalRelay> logger)
{
    /// <summary>
    /// Relays one message. Anything from someone who is not a party, for a call that is not answered, or that fails
    /// the validator is dropped and logged; the outcome says which, and <paramref name="reason"/> why.
    /// </summary>
    public SignalOutcome Relay(string callId, string fromPartyId, SignalPayload? payload, out string reason)
    {
        var clean = payload switch
        {
            DescriptionPayload description => SignalValidator.Validate(description, out reason),
            CandidatePayload candidate => (SignalPayload?)SignalValidator.Validate(candidate, out reason),
            _ => Refuse("no payload", out reason),
        };
        if (clean is null)
        {
            // A hang-up racing a last message is no one's fault: only a party of the call is held to the rules.
            if (!lobby.IsInAnsweredCall(callId, fromPartyId))
            {
                reason = "not in an answered call";
                return SignalOutcome.NotInCall;
            }

            logger.LogWarning("Dropped signaling for call {CallId} from {PartyId}: {Reason}", callId, fromPartyId, reason);
            return SignalOutcome.Invalid;
        }

        reason = "";
        if (!lobby.SendInCall(fromPartyId, new SignalMessage(callId, clean)))
        {
            logger.LogDebug("Dropped signaling for call {CallId}: not a party of an answered call", callId);
            reason = "not in an answered call";
            return SignalOutcome.NotInCall;
        }

        return SignalOutcome.Delivered;
    }

    /// <summary>Tells the other party of an answered call what media this party could start (and the lobby that it is settled).</summary>
    public bool ReportMedia(string callId, string fromPartyId, bool hasAudio, bool hasVideo, string? problem) =>
        problem is null or "denied" or "unavailable"
        && lobby.ReportMedia(fromPartyId, new PeerMediaMessage(callId, hasAudio, hasVideo, problem));

    private static SignalPayload? Refuse(string why, out string reason)
    {
        reason = why;
        return null;
    }
}
