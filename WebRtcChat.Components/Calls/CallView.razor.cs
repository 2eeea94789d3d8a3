using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Logging;
using Microsoft.JSInterop;
using WebRtcChat.Components.Lobby;
using WebRtcChat.Components.Security;

namespace WebRtcChat.Components.Calls;

/// <summary>
/// One side of an answered call: the camera preview, the remote video, the controls and the connection state.
/// The peer connection lives in <c>wwwroot-js/webrtc-call.js</c>; every SDP and ICE message goes through here
/// and the lobby to the other party's circuit. The module's lifecycle follows QuickGrid: imported on first render,
/// guarded against disposal during the import, closed on disposal, catching only <see cref="JSDisconnectedException"/>.
/// </summary>
public sealed partial class CallView
{
    private const int MaxBufferedSignals = 256;
    private static readonly HashSet<string> ConnectionStates = ["new", "connecting", "connected", "disconnected", "failed", "closed"];

    private readonly Queue<SignalMessage> _early = new();
    private ElementReference _localVideo;
    private ElementReference _remoteVideo;
    private IJSObjectReference? _module;
    private IJSObjectReference? _peer;
    private DotNetObjectReference<CallInterop>? _interop;
    private IDisposable? _subscription;
    private bool _disposed;
    private string _state = "connecting";
    private bool _hasAudio;
    private bool _hasVideo;
    private bool _microphoneOn = true;
    private bool _cameraOn = true;
    private string? _localProblem;
    private string? _remoteProblem;

    [Inject] public required IJSRuntime JS { get; init; }

    [Inject] public required LobbyService Lobby { get; init; }

    [Inject] public required ILogger<CallView> Logger { get; init; }

    [Inject] public required IFailedAttemptSink Attempts { get; init; }

    /// <summary>This side's IP address, for the record of invalid signaling.</summary>
    [Parameter, EditorRequired] public required string ClientAddress { get; set; }

    /// <summary>The call.</summary>
    [Parameter, EditorRequired] public required string CallId { get; set; }

    /// <summary>This side's party id (visitor id or console session id).</summary>
    [Parameter, EditorRequired] public required string PartyId { get; set; }

    /// <summary>The other side's name, for labels.</summary>
    [Parameter, EditorRequired] public required string OtherName { get; set; }

    /// <summary>ICE servers with this party's own TURN credentials, and whether this side is the polite peer.</summary>
    [Parameter, EditorRequired] public required PeerConfiguration Configuration { get; set; }

    private string StateText => _state switch
    {
        "connected" => $"Connected with {OtherName}",
        "disconnected" => "Reconnecting…",
        "failed" => "The connection failed. If this keeps happening, the network between you needs a TURN relay (see the README).",
        "closed" => "Call ended",
        _ => $"Connecting to {OtherName}…",
    };

    /// <inheritdoc />
    protected override void OnInitialized()
    {
        // The call's own channel, which replays what the other side sent before this page started listening.
        _subscription = Lobby.SubscribeCall(CallId, PartyId, message =>
        {
            if (message is SignalMessage signal && signal.CallId == CallId)
            {
                Post(() => DeliverAsync(signal));
            }
            else if (message is PeerMediaMessage media && media.CallId == CallId)
            {
                Post(() =>
                {
                    _remoteProblem = media.Problem switch
                    {
                        "denied" => $"{OtherName} did not allow the camera and microphone.",
                        "unavailable" => $"{OtherName} has no camera or microphone.",
                        _ when !media.HasVideo => $"{OtherName} has no camera; audio only.",
                        _ => null,
                    };
                    StateHasChanged();
                    return Task.CompletedTask;
                });
            }
        });
    }

    /// <inheritdoc />
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        _module = await JS.InvokeAsync<IJSObjectReference>("import", "./js/webrtc-call.js");
        if (_disposed)
        {
            await DisposeJsAsync();
            return;
        }

        // createPeer returns at once: the camera prompt, which can stay open for minutes, runs on in the page.
        _interop = DotNetObjectReference.Create(new CallInterop(this));
        IJSObjectReference peer;
        try
        {
            peer = await _module.InvokeAsync<IJSObjectReference>("createPeer", _interop, _localVideo, _remoteVideo, Configuration);
        }
        catch (JSException e)
        {
            // This browser refused the peer connection itself (e.g. an ICE server URL it does not take).
            Logger.LogWarning("Call {CallId}: the page could not create its peer connection: {Message}", CallId, e.Message);
            _state = "failed";
            _localProblem = "This browser could not start the call.";
            StateHasChanged();
            return;
        }


        // Signals that arrive while the early ones are handed over keep queueing behind them: _peer is set only
        // once the queue is empty, and nothing else runs between the last dequeue and that assignment.
        while (!_disposed && _early.TryDequeue(out var signal))
        {
            await HandToPageAsync(peer, signal);
        }

        if (_disposed)
        {
            // Disposed while the peer was made or the early signals were handed over: DisposeAsync could not see it.
            await ClosePeerAsync(peer);
            await DisposeJsAsync();
            return;
        }

        _peer = peer;
    }

    private async Task DeliverAsync(SignalMessage signal)
    {
        if (_peer is null)
        {
            if (_early.Count < MaxBufferedSignals)
            {
                _early.Enqueue(signal);
            }

            return;
        }

        await HandToPageAsync(_peer, signal);
    }

    // The page queues the signal and never rejects; a failure here is the page's module itself going wrong, which
    // must not end this circuit (the other side's page decides what reaches this call).
    private async Task HandToPageAsync(IJSObjectReference peer, SignalMessage signal)
    {
        try
        {
            await peer.InvokeVoidAsync("handleSignal", signal.Kind, signal.Payload);
        }
        catch (JSException e)
        {
            Logger.LogWarning("Call {CallId}: the page could not take a signaling message: {Message}", CallId, e.Message);
        }
    }

    private async Task ToggleMicrophoneAsync()
    {
        if (_peer is not null)
        {
            _microphoneOn = await _peer.InvokeAsync<bool>("setMicrophoneEnabled", !_microphoneOn);
        }
    }

    private async Task ToggleCameraAsync()
    {
        if (_peer is not null)
        {
            _cameraOn = await _peer.InvokeAsync<bool>("setCameraEnabled", !_cameraOn);
        }
    }

    private Task HangUpAsync()
    {
        Lobby.HangUp(PartyId, CallId);
        return Task.CompletedTask;
    }

    // Work that arrives from the lobby on another thread: marshalled onto this circuit; a failure stays here.
    private void Post(Func<Task> work) => _ = InvokeAsync(async () =>
    {
        try
        {
            await work();
        }
        catch (JSDisconnectedException)
        {
            // the page is gone; the circuit handler ends the call
        }
    });

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        _subscription?.Dispose();
        await DisposeJsAsync();
    }

    private async Task DisposeJsAsync()
    {
        if (_peer is not null)
        {
            await ClosePeerAsync(_peer);
        }

        try
        {
            if (_module is not null)
            {
                await _module.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
            // the circuit is gone, and the browser with it
        }

        _peer = null;
        _module = null;
        _interop?.Dispose();
        _interop = null;
    }

    private static async Task ClosePeerAsync(IJSObjectReference peer)
    {
        try
        {
            await peer.InvokeVoidAsync("close");
            await peer.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
            // the circuit is gone, and the browser with it
        }
    }

    /// <summary>The only methods the page may call: each checks its input before anything reaches the lobby.</summary>
    private sealed class CallInterop(CallView owner)
    {
        [JSInvokable]
        public void OnLocalDescription(string? type, string? sdp)
        {
            if (sdp is not null && sdp.Length > SignalValidator.MaxSdpLength)
            {
                // The party's own browser can be made to write this (by a hostile offer): not forwarded, not held
                // against this party.
                owner.Logger.LogWarning("Call {CallId}: a local description over 64 KB was not forwarded", owner.CallId);
                return;
            }

            Forward(SignalValidator.Description, SignalValidator.DescriptionJson(type, sdp));
        }

        [JSInvokable]
        public void OnLocalCandidate(string? candidateJson) => Forward(SignalValidator.Candidate, candidateJson);

        // The call and the sender come from the server's own state, never from the page; only the payload does.
        private void Forward(string kind, string? payload)
        {
            if (owner.Lobby.Signal(owner.CallId, owner.PartyId, kind, payload, out var reason) == SignalOutcome.Invalid)
            {
                owner.Attempts.Report(AttemptKinds.InvalidSignaling, owner.ClientAddress, $"{kind}: {reason}");
            }
        }

        [JSInvokable]
        public void OnConnectionStateChanged(string? state)
        {
            if (state is not null && ConnectionStates.Contains(state))
            {
                owner._state = state;
                owner.StateHasChanged();
            }
        }

        [JSInvokable]
        public void OnMediaStarted(bool hasAudio, bool hasVideo, string? errorName)
        {
            owner._hasAudio = hasAudio;
            owner._hasVideo = hasVideo;
            owner._microphoneOn = hasAudio;
            owner._cameraOn = hasVideo;
            string? problem = null;
            if (errorName is "NotAllowedError" or "SecurityError")
            {
                problem = "denied";
                owner._localProblem = "Camera and microphone are blocked. Allow them in the browser's address bar and call again; the other side can still see and hear nothing from you.";
            }
            else if (!hasAudio && !hasVideo)
            {
                problem = "unavailable";
                owner._localProblem = "No camera or microphone was found. You can still see and hear the other side.";
            }
            else if (!hasVideo)
            {
                owner._localProblem = "No camera was found: audio only.";
            }

            owner.Lobby.ReportMedia(owner.CallId, owner.PartyId, hasAudio, hasVideo, problem);
            owner.StateHasChanged();
        }
    }
}
