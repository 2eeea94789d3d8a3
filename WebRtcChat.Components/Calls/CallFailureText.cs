using Microsoft.Extensions.Localization;
using WebRtcChat.Components.Localization;
using WebRtcChat.Components.Lobby;

namespace WebRtcChat.Components.Calls;

/// <summary>
/// What each side reads when a call could not connect. The host gets what to fix (which side, which key); the
/// visitor gets plain words, nothing of the server's configuration, and is told they keep their place.
/// </summary>
public static class CallFailureText
{
    /// <summary>For the host's console; <paramref name="visitor"/> is the visitor's name.</summary>
    public static string ForHost(CallFailure failure, string visitor)
    {
        var who = failure.Side == CallSide.Host ? "Your" : $"{visitor}'s";
        if (failure.Cause == FailureCause.ConnectionLost)
        {
            return $"The connection with {visitor} was lost and could not be restored.";
        }

        return $"Could not connect with {visitor}. " + failure.Cause switch
        {
            FailureCause.PeerNotStarted => $"{who} browser did not start its side of the call (it may not support video calls).",
            FailureCause.MediaUndecided => failure.Side == CallSide.Host
                ? "You did not answer the browser's question about the camera and microphone."
                : $"{visitor} did not answer the browser's question about the camera and microphone.",
            FailureCause.NoRelayConfigured => "No direct connection was possible, and no relay is configured (Ice.TurnServers; see the README's TURN section).",
            FailureCause.UdpBlockedNoTcpRelay => $"{who} network blocks UDP, and no TCP or TLS relay is configured (add turn:…?transport=tcp and turns:…:443 to Ice.TurnServers).",
            FailureCause.RelayUnreachable when failure.Side is null => "Neither side could reach the relay: check that coturn runs and that its ports are open.",
            FailureCause.RelayUnreachable => $"{who} network could not reach the relay on any configured port.",
            FailureCause.RelayRefusedCredentials when failure.Side == CallSide.Host => "The relay refused our credentials: Ice.TurnSharedSecret is not coturn's static-auth-secret.",
            FailureCause.RelayRefusedCredentials => $"{visitor}'s browser says the relay refused its credentials (if Test connection works here, that is its word alone; otherwise check Ice.TurnSharedSecret against coturn's static-auth-secret).",
            FailureCause.Unexplained => $"The browsers found no way to each other, and {(failure.Side == CallSide.Host ? "your" : $"{visitor}'s")} browser did not say what it found.",
            _ => "Both sides reached the relay, yet no connection worked: check coturn's denied-peer-ip and relay ports.",
        };
    }

    /// <summary>For the visitor's page, in its language; <paramref name="host"/> is the host's name.</summary>
    public static string ForVisitor(CallFailure failure, string host, IStringLocalizer<VisitorText> text)
    {
        var mine = failure.Side == CallSide.Visitor;
        string what = failure.Cause switch
        {
            FailureCause.PeerNotStarted when mine => text[VisitorText.FailYourBrowser],
            FailureCause.PeerNotStarted => text[VisitorText.FailTheirBrowser, host],
            FailureCause.MediaUndecided when mine => text[VisitorText.FailYourQuestion],
            FailureCause.MediaUndecided => text[VisitorText.FailTheirQuestion, host],
            FailureCause.UdpBlockedNoTcpRelay or FailureCause.RelayUnreachable when mine => text[VisitorText.FailYourNetwork],
            FailureCause.ConnectionLost => text[VisitorText.FailLost],
            _ => text[VisitorText.FailOther],
        };
        return text[VisitorText.FailKeepPlace, what, host];
    }
}
