using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.JSInterop;
using WebRtcChat.Components.Calls;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Lobby;
using WebRtcChat.Components.Security;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Components;

public sealed class CallViewTests : BunitContext
{
    private const string Answer = """{"type":"answer","sdp":"x"}""";
    private static readonly AdministratorOptions Alice = new() { Name = "alice", ConsolePath = "/desk-alice-1", SuperAdministrator = true };
    private readonly LobbyService _lobby;
    private readonly BunitJSModuleInterop _peer;
    private readonly HostSession _host;
    private readonly CallInfo _call;
    private readonly string _visitorId;

    public CallViewTests()
    {
        var settings = new WebRtcChatSettings(new WebRtcChatOptions { Administrators = [Alice] });
        _lobby = new LobbyService(settings, new ManualTime(), NullLogger<LobbyService>.Instance, NoFailedAttemptSink.Instance);
        Services.AddSingleton(_lobby);
        Services.AddSingleton<IFailedAttemptSink>(NoFailedAttemptSink.Instance);
        Services.AddSingleton<ILogger<CallView>>(NullLogger<CallView>.Instance);
        var module = JSInterop.SetupModule("./js/webrtc-call.js");
        _peer = module.SetupModule("createPeer", _ => true);
        _peer.SetupVoid("close").SetVoidResult();

        _host = _lobby.OpenConsole("alice", Alice.ConsolePath)!;
        _visitorId = _lobby.Join(new VisitorRequest("Bob", null, "192.0.2.1", null) { Owner = "tab-a" }).VisitorId;
        _call = _lobby.Call(_host.Id, _visitorId).Call!;
        Assert.True(_lobby.Answer(_visitorId, _call.Id, "tab-a"));
    }

    protected override void Dispose(bool disposing)
    {
        _lobby.Dispose();
        base.Dispose(disposing);
    }

    private IRenderedComponent<CallView> RenderHostSide() => Render<CallView>(p => p
        .Add(c => c.ClientAddress, "192.0.2.9")
        .Add(c => c.CallId, _call.Id)
        .Add(c => c.PartyId, _host.Id)
        .Add(c => c.OtherName, "Bob")
        .Add(c => c.Configuration, new PeerConfiguration([], "all", Polite: false)));

    [Fact]
    public void ASignalThePageCannotTakeBeforeThePeerIsReadyDoesNotEndTheCircuit()
    {
        _peer.SetupVoid("handleSignal", _ => true).SetException(new JSException("InvalidStateError: Failed to set remote answer sdp"));
        Assert.Equal(SignalOutcome.Delivered, _lobby.Signal(_call.Id, _visitorId, "description", Answer)); // sent before the host listens

        var view = RenderHostSide();

        view.WaitForAssertion(() => Assert.Single(JSInterop.Invocations["handleSignal"]));
        Assert.False(Renderer.UnhandledException.IsCompleted, "the failure reached the renderer, which ends the circuit");
        Assert.Equal(SignalOutcome.Delivered, _lobby.Signal(_call.Id, _visitorId, "description", Answer)); // and later ones still arrive
        view.WaitForAssertion(() => Assert.Equal(2, JSInterop.Invocations["handleSignal"].Count));
        Assert.False(Renderer.UnhandledException.IsCompleted);
        Assert.Contains("Hang up", view.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACallViewDisposedWhileEarlySignalsAreHandedOverStillClosesItsPeer()
    {
        var pending = _peer.SetupVoid("handleSignal", _ => true); // never answers until told to
        _lobby.Signal(_call.Id, _visitorId, "candidate", """{"candidate":""}""");
        var view = RenderHostSide();
        view.WaitForAssertion(() => Assert.Single(JSInterop.Invocations["handleSignal"]));

        await DisposeComponentsAsync();
        Assert.Empty(JSInterop.Invocations["close"]);
        await view.InvokeAsync(pending.SetVoidResult);

        view.WaitForAssertion(() => Assert.Single(JSInterop.Invocations["close"]));
    }

    [Fact]
    public async Task ACallViewDisposedInTheCallClosesItsPeer()
    {
        var view = RenderHostSide();
        view.WaitForAssertion(() => Assert.Single(JSInterop.Invocations["createPeer"]));

        await DisposeComponentsAsync();

        Assert.Single(JSInterop.Invocations["close"]);
    }
}
