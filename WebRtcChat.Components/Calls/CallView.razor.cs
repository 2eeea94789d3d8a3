using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Logging;
using Microsoft.JSInterop;
using WebRtcChat.Components.Circuits;
using WebRtcChat.Components.Interop;
using WebRtcChat.Components.Localization;
using WebRtcChat.Components.Lobby;
using WebRtcChat.Components.Signaling;

namespace WebRtcChat.Components.Calls;

/// <summary>
/// One side of an answered call: the camera preview, the remote video, the controls and the connection state. The
/// peer connection is <see cref="PeerConnection"/>'s; what it produces goes to the lobby through this circuit's
/// <see cref="LobbyService"/>, and what the other side sends comes from <see cref="Signals"/>, held until the peer exists.
/// </summary>
public sealed partial class CallView : IAsyncDisposable
{
    private ElementReference _localVideo;
    private ElementReference _remoteVideo;
    private ElementReference _chat;
    private CallFeatures _features = new(false, false, false);
    private bool _sharing;
    private DateTimeOffset? _connectedAt;
    private PeerConnection? _peer;
    private string _state = "connecting";
    private bool _hasAudio;
    private bool _hasVideo;
    private bool _microphoneOn = true;
    private bool _cameraOn = true;
    private string? _localProblem;
    private string? _remoteProblem;
    private CallQuality? _quality;
    private PeerReading? _lastReading;
    private CallPath? _reportedPath;
    private (bool Audio, bool Video, string? Problem)? _told; // what the other side last heard this side sends
    private string? _startProblem; // why the media did not start, if it did not
    private PeriodicTimer? _qualityTimer;

    /// <summary>How long a call that ended while this page was reconnecting waits for it, to close the page's peer.</summary>
    public static readonly TimeSpan ClosingWait = TimeSpan.FromMinutes(1);

    private bool _disposed;

    /// <summary>How often the path line is read again during a call.</summary>
    public static readonly TimeSpan QualityInterval = TimeSpan.FromSeconds(3);

    [Inject] public required IJSRuntime JS { get; init; }

    [Inject] public required LobbyService Lobby { get; init; }

    [Inject] public required ILogger<CallView> Logger { get; init; }

    [Inject] public required TimeProvider Time { get; init; }

    /// <summary>The call.</summary>
    [Parameter, EditorRequired] public required string CallId { get; set; }

    /// <summary>The other side's name, for labels.</summary>
    [Parameter, EditorRequired] public required string OtherName { get; set; }

    /// <summary>ICE servers with this party's own TURN credentials, and whether this side is the polite peer.</summary>
    [Parameter, EditorRequired] public required PeerConfiguration Configuration { get; set; }

    /// <summary>The other side's messages of this call, in order.</summary>
    [Parameter, EditorRequired] public required CallSignals Signals { get; set; }

    private string StateText => _state switch
    {
        "connected" => L[VisitorText.ConnectedWith, OtherName],
        "disconnected" => L[VisitorText.Reconnecting],
        "failed" => L[VisitorText.ConnectionFailed],
        "closed" => L[VisitorText.CallEnded],
        _ => L[VisitorText.ConnectingTo, OtherName],
    };

    /// <inheritdoc />
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        _peer = new PeerConnection(JS, Logger);
        var events = new PeerEvents(
            description => Lobby.Signal(CallId, description),
            candidate => Lobby.Signal(CallId, candidate),
            StateChanged,
            (audio, video, error) => Show(() => MediaStarted(audio, video, error)),
            report => Lobby.ReportGathering(CallId, report),
            () => Show(() =>
            {
                _sharing = false;
                TellWhatIsSent();
            }),
            (audio, video) => Show(() => LocalMediaChanged(audio, video)));
        if (!await _peer.StartAsync(_localVideo, _remoteVideo, _chat, Configuration, events))
        {
            if (_peer is not null)
            {
                Show(() => (_state, _localProblem) = ("failed", L[VisitorText.BrowserCouldNotStart]));
            }

            return; // the lobby's deadline ends the call on both sides, saying whose browser it was
        }

        Lobby.PeerStarted(CallId);
        Signals.Attach(ReceiveAsync);
        _features = await _peer.FeaturesAsync();
        StateHasChanged();
    }

    private void StateChanged(string state)
    {
        if (_disposed)
        {
            return; // a state the page sent before the call ended, delivered after
        }

        Show(() => _state = state);
        if (state == "connected")
        {
            _connectedAt ??= Time.GetUtcNow();
            Lobby.ReportConnected(CallId, null); // at once, for the lobby's deadline; the path follows with the first reading
            _qualityTimer ??= FollowQuality();
        }
        else if (state == "failed")
        {
            Lobby.ReportConnectionFailed(CallId); // the lobby ends the call on both sides, with the likely cause
        }
    }

    // Reads the path at once, then every QualityInterval, until the view goes.
    private PeriodicTimer FollowQuality()
    {
        var timer = new PeriodicTimer(QualityInterval, Time);
        _ = FollowAsync();
        return timer;

        async Task FollowAsync()
        {
            do
            {
                await ReadQualityAsync();
            }
            while (await timer.WaitForNextTickAsync());
        }
    }

    private async Task ReadQualityAsync()
    {
        await Lobby.WhenConnected;
        if (_peer is null || await _peer.ReadAsync() is not { } reading || _peer is null)
        {
            return;
        }

        _quality = CallQuality.From(reading, _lastReading);
        _lastReading = reading;
        if (_quality is not null && _quality.Path != _reportedPath && Lobby.ReportConnected(CallId, _quality.Path))
        {
            _reportedPath = _quality.Path; // reported again only when ICE moves the call (relayed to direct, say)
        }

        StateHasChanged();
    }

    private async Task ReceiveAsync(CallMessage message)
    {
        if (message is SignalMessage signal && _peer is not null)
        {
            await Lobby.WhenConnected; // in order, after a reconnect: a call made while the circuit is down is lost
            if (_peer is not null)
            {
                await _peer.ReceiveAsync(signal);
            }
        }
        else if (message is PeerMediaMessage media)
        {
            Show(() => _remoteProblem = media.Problem switch
            {
                "denied" => L[VisitorText.TheyDenied, OtherName],
                "unavailable" => L[VisitorText.TheyHaveNoMedia, OtherName],
                _ when !media.HasVideo => L[VisitorText.TheyHaveNoCamera, OtherName],
                _ => (string?)null,
            });
        }
    }

    private void MediaStarted(bool hasAudio, bool hasVideo, string? errorName)
    {
        (_hasAudio, _hasVideo, _microphoneOn, _cameraOn) = (hasAudio, hasVideo, hasAudio, hasVideo);
        string? problem = null;
        if (errorName is "NotAllowedError" or "SecurityError")
        {
            problem = "denied";
            _localProblem = L[VisitorText.MediaBlocked];
        }
        else if (!hasAudio && !hasVideo)
        {
            problem = "unavailable";
            _localProblem = L[VisitorText.NoMedia];
        }
        else if (!hasVideo)
        {
            _localProblem = L[VisitorText.NoCamera];
        }

        (_told, _startProblem) = ((hasAudio, hasVideo, problem), problem);
        Lobby.ReportMedia(CallId, hasAudio, hasVideo, problem);
    }

    // A device lost with none to take over turns its control off; one picked after none turns it on.
    private void LocalMediaChanged(bool hasAudio, bool hasVideo)
    {
        if (hasAudio != _hasAudio)
        {
            (_hasAudio, _microphoneOn) = (hasAudio, hasAudio);
        }

        if (hasVideo != _hasVideo)
        {
            (_hasVideo, _cameraOn) = (hasVideo, hasVideo);
        }

        TellWhatIsSent();
    }

    // The other side hears what this side sends when that changes, as it heard what this side could start: "Bob has
    // no camera; audio only" when a camera is lost with none to take over, and no longer once one is back or the
    // screen is shared in its place. A refusal said at the start stays the reason while nothing is sent.
    private void TellWhatIsSent()
    {
        if (_told is not { } told)
        {
            return; // before the media started, MediaStarted says it
        }

        var (audio, video) = (_hasAudio, _hasVideo || _sharing);
        var problem = audio || video ? null : _startProblem ?? "unavailable";
        if ((audio, video, problem) != told)
        {
            _told = (audio, video, problem);
            Lobby.ReportMedia(CallId, audio, video, problem);
        }
    }

    private void Show(Action change)
    {
        change();
        StateHasChanged();
    }

    private async Task ToggleMicrophoneAsync()
    {
        if (_peer is not null)
        {
            _microphoneOn = await _peer.SetMicrophoneAsync(!_microphoneOn);
        }
    }

    private async Task ToggleCameraAsync()
    {
        if (_peer is not null)
        {
            _cameraOn = await _peer.SetCameraAsync(!_cameraOn);
        }
    }

    private async Task ToggleScreenShareAsync()
    {
        if (_peer is not null)
        {
            _sharing = _sharing ? !await _peer.StopScreenShareAsync() : await _peer.StartScreenShareAsync();
            TellWhatIsSent();
        }
    }

    private async Task ToggleFullscreenAsync()
    {
        if (_peer is not null)
        {
            await _peer.ToggleFullscreenAsync();
        }
    }

    private async Task TogglePictureInPictureAsync()
    {
        if (_peer is not null)
        {
            await _peer.TogglePictureInPictureAsync();
        }
    }

    private void HangUp() => Lobby.HangUp(CallId);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        Signals.Detach();
        _qualityTimer?.Dispose();
        var peer = _peer;
        _peer = null;
        if (peer is not null)
        {
            // The call may end while this page reconnects: closing it then would be lost, and the camera left on.
            await Task.WhenAny(Lobby.WhenConnected, Task.Delay(ClosingWait, Time));
            await peer.DisposeAsync();
        }
    }
}
