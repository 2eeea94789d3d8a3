using Microsoft.Extensions.Localization;
using WebRtcChat.Components.Interop;
using WebRtcChat.Components.Localization;
using WebRtcChat.Components.Lobby;

namespace WebRtcChat.Components.Calls;

/// <summary>The path and quality of a connected call, as the small line under the videos shows it.</summary>
/// <param name="Path">Direct or relayed, and this side's transport.</param>
/// <param name="RoundTripMs">The selected pair's current round-trip time.</param>
/// <param name="LossPercent">Packets lost since the previous reading, of those expected.</param>
/// <param name="Width">Received video width.</param>
/// <param name="Height">Received video height.</param>
/// <param name="FramesPerSecond">Received video frame rate.</param>
public sealed record CallQuality(CallPath Path, int? RoundTripMs, double? LossPercent, int? Width, int? Height, int? FramesPerSecond)
{
    private static readonly HashSet<string> CandidateTypes = ["host", "srflx", "prflx", "relay"];

    /// <summary>The path of the reading's selected pair; null when there is none yet, or it names nothing known.</summary>
    public static CallPath? PathOf(PeerReading reading)
    {
        if (reading.LocalCandidateType is not { } local || !CandidateTypes.Contains(local)
            || reading.RemoteCandidateType is not { } remote || !CandidateTypes.Contains(remote))
        {
            return null;
        }

        var relayed = local == "relay" || remote == "relay";
        var transport = (local == "relay" ? reading.RelayProtocol : reading.LocalProtocol) switch
        {
            "udp" => CallTransport.Udp,
            "tcp" => CallTransport.Tcp,
            "tls" => CallTransport.Tls,
            _ => (CallTransport?)null,
        };
        return transport is { } known ? new CallPath(relayed ? CallRoute.Relayed : CallRoute.Direct, known) : null;
    }

    /// <summary>The quality now, from this reading and the one before it (for the loss); null without a path.</summary>
    public static CallQuality? From(PeerReading reading, PeerReading? previous)
    {
        if (PathOf(reading) is not { } path)
        {
            return null;
        }

        double? loss = null;
        if (previous is not null)
        {
            var lost = Math.Max(0, reading.PacketsLost - previous.PacketsLost);
            var expected = lost + Math.Max(0, reading.PacketsReceived - previous.PacketsReceived);
            loss = expected > 0 ? 100 * lost / expected : null;
        }

        return new CallQuality(path, Whole(reading.RoundTripTime * 1000), loss, Whole(reading.FrameWidth), Whole(reading.FrameHeight), Whole(reading.FramesPerSecond));
    }

    /// <summary>For example "Direct · UDP · 12 ms · 0% loss · 640×480 at 30 fps", in the page's language.</summary>
    public string Describe(IStringLocalizer<VisitorText> text)
    {
        var parts = new List<string>
        {
            text[Path.Route == CallRoute.Direct ? VisitorText.PathDirect : VisitorText.PathRelayed],
            Path.Transport.ToString().ToUpperInvariant(),
        };
        if (RoundTripMs is { } rtt)
        {
            parts.Add(text[VisitorText.RoundTrip, rtt]);
        }

        if (LossPercent is { } loss)
        {
            parts.Add(text[VisitorText.Loss, loss]);
        }

        if (Width is { } width && Height is { } height)
        {
            parts.Add(FramesPerSecond is { } fps ? text[VisitorText.VideoSizeAndRate, width, height, fps] : text[VisitorText.VideoSize, width, height]);
        }

        return string.Join(" · ", parts);
    }

    // A number a browser reported, as a whole number within reason, or null.
    private static int? Whole(double? value) =>
        value is { } v && double.IsFinite(v) && v >= 0 && v < 1_000_000 ? (int)Math.Round(v) : null;
}
