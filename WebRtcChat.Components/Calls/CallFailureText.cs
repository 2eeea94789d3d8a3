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

    /// <summary>For the visitor's page; <paramref name="host"/> is the host's name.</summary>
    public static string ForVisitor(CallFailure failure, string host)
    {
        var mine = failure.Side == CallSide.Visitor;
        var what = failure.Cause switch
        {
            FailureCause.PeerNotStarted when mine => "Your browser could not start the call. A recent Firefox, Chrome, Edge or Safari can.",
            FailureCause.PeerNotStarted => $"{host}'s browser could not start the call.",
            FailureCause.MediaUndecided when mine => "The browser's question about your camera and microphone was not answered.",
            FailureCause.MediaUndecided => $"{host} did not answer the browser's question about the camera and microphone.",
            FailureCause.UdpBlockedNoTcpRelay or FailureCause.RelayUnreachable when mine => "Your network does not let the call through (it may allow only web pages).",
            FailureCause.ConnectionLost => "The connection was lost and could not be restored.",
            _ => "The connection between you could not be made.",
        };
        return $"{what} You keep your place; {host} can try again.";
    }
}
