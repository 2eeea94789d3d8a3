using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.JSInterop;
using WebRtcChat.Components.Calls;
using WebRtcChat.Components.Circuits;
using WebRtcChat.Components.Interop;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Lobby;
using WebRtcChat.Components.Signaling;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Components;

public sealed class CallViewTests : BunitContext
{
    private static readonly DescriptionPayload Answer = new("answer", "x");
    private static readonly AdministratorOptions Alice = new() { Name = "alice", ConsolePath = "/desk-alice-1", SuperAdministrator = true };
    private readonly LobbyParties _parties;
    private readonly BunitJSModuleInterop _peer;
    private readonly LobbyService _host;
    private readonly LobbyService _visitor;
    private readonly CallInfo _call;
    private readonly CallSignals _signals;
    private readonly ManualTime _time = new();
    private readonly JSRuntimeInvocationHandler<CallFeatures?> _features;

    public CallViewTests()
    {
        _parties = new LobbyParties(new WebRtcChatSettings(new WebRtcChatOptions
        {
            Administrators = [Alice],
            Ice = new IceOptions { TurnServers = ["turn:turn.example.org:3478"], TurnSharedSecret = "0123456789abcdef0123" },
        }), _time);
        _host = _parties.Console("alice", Alice.ConsolePath);
        Services.AddSingleton(_host); // the circuit this call view lives in
        Services.AddSingleton<ILogger<CallView>>(NullLogger<CallView>.Instance);
        Services.AddSingleton<TimeProvider>(_time);
        Services.AddLocalization();
        var module = JSInterop.SetupModule("./js/webrtc-call.js");
        _peer = module.SetupModule("createPeer", _ => true);
        _peer.SetupVoid("close").SetVoidResult();
        _features = _peer.Setup<CallFeatures?>("features");
        _features.SetResult(new CallFeatures(ScreenShare: false, Fullscreen: false, PictureInPicture: false));
        DevicePickerTests.SetUp(JSInterop);

        var (visitor, ticket) = _parties.Join("Bob", host: null);
        _visitor = visitor;
        _call = _host.Call(ticket.VisitorId).Call!;
        Assert.True(_visitor.Answer(_call.Id));
        _signals = new CallSignals(_call.Id);
    }

    protected override void Dispose(bool disposing)
    {
        _parties.Dispose();
        base.Dispose(disposing);
    }

    // What the console's inbox loop does: the call's messages go to the call's signals.
    private void DeliverToHost()
    {
        foreach (var message in LobbyParties.Drain(_host).OfType<CallMessage>())
        {
            _signals.Add(message);
        }
    }

    private IRenderedComponent<CallView> RenderHostSide() => Render<CallView>(p => p
        .Add(c => c.CallId, _call.Id)
        .Add(c => c.OtherName, "Bob")
        .Add(c => c.Configuration, new PeerConfiguration([], "all", Polite: false))
        .Add(c => c.Signals, _signals));

    [Fact]
    public void ASignalThePageCannotTakeBeforeThePeerIsReadyDoesNotEndTheCircuit()
    {
        _peer.SetupVoid("handleDescription", _ => true).SetException(new JSException("InvalidStateError: Failed to set remote answer sdp"));
        Assert.Equal(SignalOutcome.Delivered, _visitor.Signal(_call.Id, Answer)); // sent before the host listens
        DeliverToHost();

        var view = RenderHostSide();

        view.WaitForAssertion(() => Assert.Single(JSInterop.Invocations["handleDescription"]));
        Assert.False(Renderer.UnhandledException.IsCompleted, "the failure reached the renderer, which ends the circuit");
        Assert.Equal(SignalOutcome.Delivered, _visitor.Signal(_call.Id, Answer)); // and later ones still arrive
        view.InvokeAsync(DeliverToHost);
        view.WaitForAssertion(() => Assert.Equal(2, JSInterop.Invocations["handleDescription"].Count));
        Assert.False(Renderer.UnhandledException.IsCompleted);
        Assert.Contains("Hang up", view.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACallViewDisposedWhileEarlySignalsAreHandedOverStillClosesItsPeer()
    {
        var pending = _peer.SetupVoid("handleCandidate", _ => true); // never answers until told to
        _visitor.Signal(_call.Id, new CandidatePayload("", null, null, null));
        DeliverToHost();
        var view = RenderHostSide();
        view.WaitForAssertion(() => Assert.Single(JSInterop.Invocations["handleCandidate"]));

        await DisposeComponentsAsync();
        await view.InvokeAsync(pending.SetVoidResult);

        Assert.Single(JSInterop.Invocations["close"]);
        Assert.False(Renderer.UnhandledException.IsCompleted);
    }

    [Fact]
    public async Task ACallViewDisposedInTheCallClosesItsPeer()
    {
        var view = RenderHostSide();
        view.WaitForAssertion(() => Assert.Single(JSInterop.Invocations["createPeer"]));

        await DisposeComponentsAsync();

        Assert.Single(JSInterop.Invocations["close"]);
    }

    // What the page's module does: calls one of the few methods of the reference createPeer was given.
    private Task PageCallsAsync(IRenderedComponent<CallView> view, string method, params object?[] arguments) => view.InvokeAsync(() =>
    {
        var reference = JSInterop.Invocations["createPeer"].Single().Arguments[0]!;
        var target = reference.GetType().GetProperty("Value")!.GetValue(reference)!;
        target.GetType().GetMethod(method)!.Invoke(target, arguments);
    });

    private static PeerReading Reading(double received, double lost) =>
        new(300, 90_000, "relay", "srflx", "udp", "tls", 0.042, received, lost, 640, 480, 30, "connected");

    [Fact]
    public async Task OnceConnectedTheCallShowsItsPathAndQualityAndTheConsoleKeepsThePath()
    {
        _peer.Setup<PeerReading>("stats").SetResult(Reading(1000, 0));
        var view = RenderHostSide();
        view.WaitForAssertion(() => Assert.Single(JSInterop.Invocations["createPeer"]));

        await PageCallsAsync(view, "OnConnectionStateChanged", "connected");

        view.WaitForAssertion(() => Assert.Equal("Relayed · TLS · 42 ms · 640×480 at 30 fps", view.Find(".call-path").TextContent));
        var record = Assert.Single(_parties.Lobby.Current.History);
        Assert.Equal(new CallPath(CallRoute.Relayed, CallTransport.Tls), record.Path);
        Assert.Equal(_time.GetUtcNow(), record.ConnectedAt);
    }

    [Fact]
    public void LossIsCountedBetweenTwoReadingsOfThoseExpected()
    {
        var quality = CallQuality.From(Reading(1900, 100), Reading(1000, 0));

        Assert.Equal(10, quality!.LossPercent);
        Assert.Contains("10% loss", quality.Describe(VisitorWords.Localizer), StringComparison.Ordinal);
        Assert.Null(CallQuality.From(Reading(1, 0) with { LocalCandidateType = "<b>", RemoteCandidateType = "host" }, null)); // no word the browser does not say
        Assert.Null(CallQuality.From(Reading(1, 0) with { RelayProtocol = "sctp" }, null));
    }

    [Fact]
    public async Task WhatThisBrowserGatheredIsTheCauseWhenItGivesUp()
    {
        var view = RenderHostSide();
        view.WaitForAssertion(() => Assert.Single(JSInterop.Invocations["createPeer"]));
        Assert.True(_visitor.PeerStarted(_call.Id)); // the other side's browser did its part
        LobbyParties.Drain(_visitor);

        await PageCallsAsync(view, "OnGathered", new GatheringPayload(Host: true, Srflx: false, Relay: [], Refused: false));
        await PageCallsAsync(view, "OnConnectionStateChanged", "failed");

        var ended = Assert.Single(LobbyParties.Messages(_visitor).OfType<CallEndedMessage>());
        Assert.Equal(new CallFailure(FailureCause.UdpBlockedNoTcpRelay, CallSide.Host), ended.Failure);
    }

    [Fact]
    public async Task AGatheringReportThisModuleCouldNotHaveWrittenIsIgnored()
    {
        var view = RenderHostSide();
        view.WaitForAssertion(() => Assert.Single(JSInterop.Invocations["createPeer"]));
        Assert.True(_visitor.PeerStarted(_call.Id)); // the other side's browser did its part
        LobbyParties.Drain(_visitor);

        await PageCallsAsync(view, "OnGathered", new GatheringPayload(Host: true, Srflx: false, Relay: ["udp", "tcp", "tls", "udp"], Refused: true));
        await PageCallsAsync(view, "OnGathered", new GatheringPayload(Host: true, Srflx: false, Relay: null, Refused: true));
        await PageCallsAsync(view, "OnConnectionStateChanged", "failed");

        Assert.Equal(new CallFailure(FailureCause.Unexplained, CallSide.Host), Assert.Single(LobbyParties.Messages(_visitor).OfType<CallEndedMessage>()).Failure);
    }

    [Fact]
    public void OnlyWhatThisBrowserOffersIsOfferedAndTheChatIsLeftToThePage()
    {
        _features.SetResult(new CallFeatures(ScreenShare: true, Fullscreen: true, PictureInPicture: false)); // a desktop browser without PiP
        var view = RenderHostSide();

        view.WaitForAssertion(() => Assert.Contains("Share screen", view.Markup, StringComparison.Ordinal));
        Assert.Contains("Full screen", view.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("Picture in picture", view.Markup, StringComparison.Ordinal);
        var createPeer = JSInterop.Invocations["createPeer"].Single();
        Assert.IsType<Microsoft.AspNetCore.Components.ElementReference>(createPeer.Arguments[4]); // the chat panel is handed to the page
        Assert.Empty(view.FindAll("[data-chat-log] li")); // messages are the page's to draw, never the server's
    }

    [Fact]
    public async Task ACameraUnpluggedWithNoOtherTurnsItsButtonOffAndOnePickedLaterTurnsItBackOn()
    {
        var view = RenderHostSide();
        view.WaitForAssertion(() => Assert.Single(JSInterop.Invocations["createPeer"]));
        await PageCallsAsync(view, "OnMediaStarted", true, true, null);
        var camera = () => view.FindAll(".controls button").Single(b => b.TextContent.StartsWith("Camera", StringComparison.Ordinal));
        view.WaitForAssertion(() => Assert.False(camera().HasAttribute("disabled")));

        await PageCallsAsync(view, "OnLocalMediaChanged", true, false);

        view.WaitForAssertion(() => Assert.True(camera().HasAttribute("disabled")));
        Assert.Equal("Camera on", camera().TextContent);
        Assert.Equal("Mute", view.FindAll(".controls button")[0].TextContent); // the microphone is left as it was

        await PageCallsAsync(view, "OnLocalMediaChanged", true, true);

        view.WaitForAssertion(() => Assert.False(camera().HasAttribute("disabled")));
        Assert.Equal("Camera off", camera().TextContent);
    }

    [Fact]
    public async Task TheOtherSideHearsWhenACameraIsLostWithNoneToTakeOverAndWhenOneIsBack()
    {
        var view = RenderHostSide();
        view.WaitForAssertion(() => Assert.Single(JSInterop.Invocations["createPeer"]));
        await PageCallsAsync(view, "OnMediaStarted", true, true, null);
        LobbyParties.Drain(_visitor);

        await PageCallsAsync(view, "OnLocalMediaChanged", true, false);
        await PageCallsAsync(view, "OnLocalMediaChanged", true, false); // the same again says nothing new
        await PageCallsAsync(view, "OnLocalMediaChanged", false, false);
        await PageCallsAsync(view, "OnLocalMediaChanged", true, true);

        Assert.Equal(
            [new PeerMediaMessage(_call.Id, true, false, null), new PeerMediaMessage(_call.Id, false, false, "unavailable"), new PeerMediaMessage(_call.Id, true, true, null)],
            LobbyParties.Messages(_visitor).OfType<PeerMediaMessage>());
    }

    [Fact]
    public async Task ACameraLostWhileTheScreenIsSharedIsToldOnlyWhenTheSharingEndsAndASharedScreenLiftsIt()
    {
        _features.SetResult(new CallFeatures(ScreenShare: true, Fullscreen: false, PictureInPicture: false));
        _peer.Setup<bool?>("startScreenShare").SetResult(true);
        var view = RenderHostSide();
        view.WaitForAssertion(() => Assert.Single(JSInterop.Invocations["createPeer"]));
        await PageCallsAsync(view, "OnMediaStarted", true, true, null);
        view.WaitForAssertion(() => view.Find("button[aria-pressed]").Click());
        view.WaitForAssertion(() => Assert.Equal("Stop sharing", view.Find("button[aria-pressed]").TextContent));
        LobbyParties.Drain(_visitor);

        await PageCallsAsync(view, "OnLocalMediaChanged", true, false); // the camera goes; the screen is still what is sent
        Assert.Empty(LobbyParties.Messages(_visitor).OfType<PeerMediaMessage>());

        await PageCallsAsync(view, "OnScreenShareEnded"); // and with it the picture
        Assert.Equal([new PeerMediaMessage(_call.Id, true, false, null)], LobbyParties.Messages(_visitor).OfType<PeerMediaMessage>());

        view.WaitForAssertion(() => view.Find("button[aria-pressed]").Click()); // sharing again, with no camera
        view.WaitForAssertion(() => Assert.Equal([new PeerMediaMessage(_call.Id, true, true, null)], LobbyParties.Messages(_visitor).OfType<PeerMediaMessage>()));
    }

    [Fact]
    public void AVisitorsLostCameraIsSaidOnTheHostsCallAndUnsaidWhenOneIsBack()
    {
        var view = RenderHostSide();
        view.WaitForAssertion(() => Assert.Single(JSInterop.Invocations["createPeer"]));

        Assert.True(_visitor.ReportMedia(_call.Id, hasAudio: true, hasVideo: false, problem: null));
        view.InvokeAsync(DeliverToHost);
        view.WaitForAssertion(() => Assert.Contains("Bob has no camera; audio only.", view.Markup, StringComparison.Ordinal));

        Assert.True(_visitor.ReportMedia(_call.Id, hasAudio: true, hasVideo: true, problem: null));
        view.InvokeAsync(DeliverToHost);
        view.WaitForAssertion(() => Assert.DoesNotContain("has no camera", view.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheBrowsersOwnStopSharingPutsTheButtonBack()
    {
        _features.SetResult(new CallFeatures(ScreenShare: true, Fullscreen: false, PictureInPicture: false));
        _peer.Setup<bool?>("startScreenShare").SetResult(true);
        var view = RenderHostSide();
        view.WaitForAssertion(() => view.Find("button[aria-pressed]").Click());
        view.WaitForAssertion(() => Assert.Equal("Stop sharing", view.Find("button[aria-pressed]").TextContent));

        await PageCallsAsync(view, "OnScreenShareEnded");

        view.WaitForAssertion(() => Assert.Equal("Share screen", view.Find("button[aria-pressed]").TextContent));
    }
}
