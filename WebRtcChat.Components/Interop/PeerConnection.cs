using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Logging;
using Microsoft.JSInterop;
using WebRtcChat.Components.Lobby;
using WebRtcChat.Components.Signaling;

namespace WebRtcChat.Components.Interop;

/// <summary>What the page's peer connection tells its call view. Each is called on the circuit.</summary>
/// <param name="OnLocalDescription">A description of this side, for the other party.</param>
/// <param name="OnLocalCandidate">A candidate of this side, for the other party.</param>
/// <param name="OnConnectionState">One of <c>new connecting connected disconnected failed closed</c>.</param>
/// <param name="OnMediaStarted">What local media could start: audio, video, and the browser's error name if any.</param>
/// <param name="OnGathered">What kinds of candidates this side gathered, and whether the relay refused it.</param>
/// <param name="OnScreenShareEnded">The browser's own "Stop sharing" ended the screen share; the camera is back.</param>
/// <param name="OnLocalMediaChanged">
/// What this side sends changed during the call: audio, video. A device was unplugged and no other of its kind could
/// take over, or one was picked after there was none. (Which device is in use stays in the page.)
/// </param>
public sealed record PeerEvents(
    Action<DescriptionPayload> OnLocalDescription,
    Action<CandidatePayload> OnLocalCandidate,
    Action<string> OnConnectionState,
    Action<bool, bool, string?> OnMediaStarted,
    Action<GatheringReport> OnGathered,
    Action OnScreenShareEnded,
    Action<bool, bool> OnLocalMediaChanged);

/// <summary>What this browser offers in a call beyond the basics.</summary>
public sealed record CallFeatures(bool ScreenShare, bool Fullscreen, bool PictureInPicture);

/// <summary>What the page sends as <c>OnGathered</c>: kinds of local candidates, and the relay's transports reached.</summary>
public sealed record GatheringPayload(bool Host, bool Srflx, IReadOnlyList<string?>? Relay, bool Refused);

/// <summary>What the page's <c>stats()</c> returns: the selected candidate pair and the received video.</summary>
/// <remarks>It comes from this party's own browser, and is read as untrusted all the same: unknown words are no path.</remarks>
public sealed record PeerReading(
    double FramesDecoded,
    double BytesReceived,
    string? LocalCandidateType,
    string? RemoteCandidateType,
    string? LocalProtocol,
    string? RelayProtocol,
    double? RoundTripTime,
    double PacketsReceived,
    double PacketsLost,
    double? FrameWidth,
    double? FrameHeight,
    double? FramesPerSecond,
    string? ConnectionState);

/// <summary>
/// The one owner of <c>wwwroot-js/webrtc-call.js</c>: it creates the page's peer, hands it the other side's
/// descriptions and candidates, switches the microphone and camera, and closes it. The module never talks to the
/// network: what it produces comes back through the private <see cref="PeerInterop"/>, whose few methods check
/// their input before anything reaches the lobby.
/// </summary>
public sealed class PeerConnection(IJSRuntime js, ILogger logger) : IAsyncDisposable
{
    private static readonly HashSet<string> ConnectionStates = ["new", "connecting", "connected", "disconnected", "failed", "closed"];

    private readonly JsModule _module = new(js, "./js/webrtc-call.js");
    private DotNetObjectReference<PeerInterop>? _interop;
    private IJSObjectReference? _peer;
    private bool _disposed;

    /// <summary>
    /// Creates the page's peer. It returns at once: the camera prompt, which can stay open for minutes, runs on in
    /// the page. False when disposed meanwhile, or when this browser refuses the peer connection itself.
    /// </summary>
    public async Task<bool> StartAsync(ElementReference localVideo, ElementReference remoteVideo, ElementReference chat, PeerConfiguration configuration, PeerEvents events)
    {
        if (await _module.ImportAsync() is not { } module)
        {
            return false;
        }

        _interop = DotNetObjectReference.Create(new PeerInterop(events, logger));
        IJSObjectReference peer;
        try
        {
            peer = await module.InvokeAsync<IJSObjectReference>("createPeer", _interop, localVideo, remoteVideo, configuration, chat);
        }
        catch (JSException e)
        {
            // e.g. an ICE server URL this browser does not take
            logger.LogWarning("The page could not create its peer connection: {Message}", e.Message);
            return false;
        }

        if (_disposed)
        {
            await CloseAsync(peer); // disposed while the peer was being made: DisposeAsync could not see it
            return false;
        }

        _peer = peer;
        return true;
    }

    /// <summary>
    /// Hands the other side's description or candidate to the page. The page queues it and never rejects; a failure
    /// here is the module itself going wrong, which must not end this circuit.
    /// </summary>
    public async Task ReceiveAsync(SignalMessage message)
    {
        if (_peer is not { } peer)
        {
            return;
        }

        try
        {
            await (message.Payload switch
            {
                DescriptionPayload description => peer.InvokeVoidAsync("handleDescription", description),
                CandidatePayload candidate => peer.InvokeVoidAsync("handleCandidate", candidate),
                _ => ValueTask.CompletedTask,
            });
        }
        catch (JSException e)
        {
            logger.LogWarning("The page could not take a signaling message: {Message}", e.Message);
        }
        catch (Exception e) when (e is TaskCanceledException or JSDisconnectedException)
        {
            // the connection dropped while the message was on its way: the browsers' ICE restarts recover
            logger.LogDebug("A signaling message did not reach the page: {Message}", e.Message);
        }
    }

    /// <summary>The page's reading of the selected path and the received video; null when there is no peer.</summary>
    public async Task<PeerReading?> ReadAsync()
    {
        if (_peer is not { } peer)
        {
            return null;
        }

        try
        {
            return await peer.InvokeAsync<PeerReading>("stats");
        }
        catch (Exception e) when (e is JSException or TaskCanceledException or JSDisconnectedException)
        {
            logger.LogDebug("The page could not read its call's stats: {Message}", e.Message);
            return null;
        }
    }

    /// <summary>What this browser offers (screen share, full screen, picture-in-picture); none when there is no peer.</summary>
    public async Task<CallFeatures> FeaturesAsync() => await CallAsync<CallFeatures?>("features") ?? new CallFeatures(false, false, false);

    /// <summary>Shares the screen in place of the camera; returns whether it is shared now.</summary>
    public async Task<bool> StartScreenShareAsync() => await CallAsync<bool?>("startScreenShare") ?? false;

    /// <summary>Brings the camera back; returns whether a share was stopped.</summary>
    public async Task<bool> StopScreenShareAsync() => await CallAsync<bool?>("stopScreenShare") ?? false;

    /// <summary>Puts the remote video in or out of full screen; returns whether it is full screen now.</summary>
    public async Task<bool> ToggleFullscreenAsync() => await CallAsync<bool?>("toggleFullscreen") ?? false;

    /// <summary>Puts the remote video in or out of picture-in-picture; returns whether it is now.</summary>
    public async Task<bool> TogglePictureInPictureAsync() => await CallAsync<bool?>("togglePictureInPicture") ?? false;

    // A call the page may not answer (gone, or reconnecting): null rather than an exception in a click handler.
    private async Task<T?> CallAsync<T>(string method)
    {
        if (_peer is not { } peer)
        {
            return default;
        }

        try
        {
            return await peer.InvokeAsync<T>(method);
        }
        catch (Exception e) when (e is JSException or TaskCanceledException or JSDisconnectedException)
        {
            logger.LogDebug("The page could not {Method}: {Message}", method, e.Message);
            return default;
        }
    }

    /// <summary>Switches the microphone; returns whether it is on now.</summary>
    public async Task<bool> SetMicrophoneAsync(bool enabled) => _peer is { } peer && await peer.InvokeAsync<bool>("setMicrophoneEnabled", enabled);

    /// <summary>Switches the camera; returns whether it is on now.</summary>
    public async Task<bool> SetCameraAsync(bool enabled) => _peer is { } peer && await peer.InvokeAsync<bool>("setCameraEnabled", enabled);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        var peer = _peer;
        _peer = null;
        if (peer is not null)
        {
            await CloseAsync(peer);
        }

        await _module.DisposeAsync();
        _interop?.Dispose();
        _interop = null;
    }

    private static async Task CloseAsync(IJSObjectReference peer)
    {
        try
        {
            await peer.InvokeVoidAsync("close");
        }
        catch (Exception e) when (e is JSDisconnectedException or JSException or TaskCanceledException)
        {
            // the circuit is gone (and the browser with it), or never answered: the page closes its peer itself
            // once its own calls to .NET fail for good
        }

        await JsModule.SafeDisposeAsync(peer);
    }

    /// <summary>The only methods the page may call.</summary>
    private sealed class PeerInterop(PeerEvents events, ILogger logger)
    {
        private DescriptionPayload? _lastDescription;

        [JSInvokable]
        public void OnLocalDescription(DescriptionPayload? description)
        {
            if (description is not null && description == _lastDescription)
            {
                return; // sent again by the page after a call that timed out while the circuit was reconnecting
            }

            _lastDescription = description;
            if (description?.Sdp?.Length > SignalValidator.MaxSdpLength)
            {
                // The party's own browser can be made to write this (by a hostile offer): not forwarded, not held
                // against this party.
                logger.LogWarning("A local description over 64 KB was not forwarded");
                return;
            }

            events.OnLocalDescription(description ?? new DescriptionPayload(null, null));
        }

        [JSInvokable]
        public void OnLocalCandidate(CandidatePayload? candidate) => events.OnLocalCandidate(candidate ?? new CandidatePayload(null, null, null, null));

        [JSInvokable]
        public void OnConnectionStateChanged(string? state)
        {
            if (state is not null && ConnectionStates.Contains(state))
            {
                events.OnConnectionState(state);
            }
        }

        [JSInvokable]
        public void OnMediaStarted(bool hasAudio, bool hasVideo, string? errorName) =>
            events.OnMediaStarted(hasAudio, hasVideo, errorName is { Length: <= 64 } ? errorName : null);

        [JSInvokable]
        public void OnScreenShareEnded() => events.OnScreenShareEnded();

        [JSInvokable]
        public void OnLocalMediaChanged(bool hasAudio, bool hasVideo) => events.OnLocalMediaChanged(hasAudio, hasVideo);

        [JSInvokable]
        public void OnGathered(GatheringPayload? report)
        {
            // Three transports at most; anything else is not a report this module writes.
            if (report is null || report.Relay is not { Count: <= 3 } relay)
            {
                return;
            }

            events.OnGathered(new GatheringReport(report.Host, report.Srflx, relay.Contains("udp"), relay.Contains("tcp"), relay.Contains("tls"), report.Refused));
        }
    }
}
