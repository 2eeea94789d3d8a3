using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WebRtcChat.Components.Calls;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Lobby;
using WebRtcChat.Components.Security;
using WebRtcChat.Components.Visitors;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Components;

public sealed class VisitorLobbyTests : BunitContext
{
    private static readonly AdministratorOptions Alice = new() { Name = "alice", ConsolePath = "/desk-alice-1", SuperAdministrator = true };
    private readonly ManualTime _time = new();
    private readonly LobbyService _lobby;
    private readonly WebRtcChatSettings _settings;
    private readonly BunitJSModuleInterop _session;

    public VisitorLobbyTests()
    {
        var settings = _settings = new WebRtcChatSettings(new WebRtcChatOptions { Administrators = [Alice], Server = new() { PathBase = "/k3x9" } });
        _lobby = new LobbyService(settings, _time, NullLogger<LobbyService>.Instance, NoFailedAttemptSink.Instance);
        Services.AddSingleton(_lobby);
        Services.AddSingleton(settings);
        Services.AddSingleton<TimeProvider>(_time);
        Services.AddSingleton(new LobbyCircuitHandler(_lobby, _time));
        _session = JSInterop.SetupModule("./js/visitor-session.js");
        _session.SetupVoid("save", _ => true).SetVoidResult();
    }

    protected override void Dispose(bool disposing)
    {
        _lobby.Dispose();
        base.Dispose(disposing);
    }

    private IRenderedComponent<VisitorLobby> RenderPage() => Render<VisitorLobby>(p => p
        .Add(c => c.ClientAddress, "192.0.2.1")
        .Add(c => c.PathBase, "/k3x9"));

    // A page that took back its place in the list (as after a reload), and alice's console open.
    private (VisitorTicket Ticket, IRenderedComponent<VisitorLobby> Page, HostSession Host) RenderWaitingPage(string name = "Bob")
    {
        var ticket = _lobby.Join(new VisitorRequest(name, null, "192.0.2.1", null) { Owner = "tab-a" });
        _session.Setup<string?>("load", _ => true).SetResult(ticket.ResumeToken);
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Equal("Waiting…", page.Find("h1").TextContent));
        return (ticket, page, _lobby.OpenConsole("alice", Alice.ConsolePath)!);
    }

    private void MoveTheSubDirectory() =>
        _settings.Apply(_settings.Current with { Server = _settings.Current.Server with { PathBase = "/new-place" } });

    [Fact]
    public void AWaitingPageRetiresWhenTheSubDirectoryMovesAndLeavesTheList()
    {
        var (_, page, _) = RenderWaitingPage("Mallory");

        MoveTheSubDirectory();

        page.WaitForAssertion(() => Assert.Equal("This page is no longer available", page.Find("h1").TextContent));
        Assert.Empty(_lobby.Current.Visitors);
        Assert.Empty(page.FindAll("button, form"));
        Assert.Contains(JSInterop.Invocations["save"], i => i.Arguments[0] is null); // the place's token is forgotten
    }

    [Fact]
    public void APageInACallRetiresOnlyWhenTheCallEnds()
    {
        Services.AddSingleton<IFailedAttemptSink>(NoFailedAttemptSink.Instance);
        Services.AddSingleton<ILogger<CallView>>(NullLogger<CallView>.Instance);
        JSInterop.SetupModule("./js/webrtc-call.js").SetupModule("createPeer", _ => true).SetupVoid("close").SetVoidResult();
        var (ticket, page, host) = RenderWaitingPage();
        var call = _lobby.Call(host.Id, ticket.VisitorId).Call!;
        page.WaitForAssertion(() => page.Find("button.answer").Click());
        page.WaitForAssertion(() => Assert.NotNull(page.Find("video[aria-label='Remote video']")));

        MoveTheSubDirectory();
        Assert.NotNull(page.Find("video[aria-label='Remote video']"));
        Assert.Single(_lobby.Current.Calls);

        _lobby.HangUp(host.Id, call.Id);
        page.WaitForAssertion(() => Assert.Equal("This page is no longer available", page.Find("h1").TextContent));
        Assert.Empty(_lobby.Current.Visitors);
    }

    [Fact]
    public async Task ARequestSentBeforeThePageReadItsStorageIsThePlaceKeptAndNothingIsLeftBehind()
    {
        var earlier = _lobby.Join(new VisitorRequest("Bob", null, "192.0.2.1", null) { Owner = "closed-tab" });
        var load = _session.Setup<string?>("load", _ => true); // the storage answers late
        var page = RenderPage();

        page.Find("#visitor-name").Change("Bob");
        page.Find("form").Submit();
        var submitted = _lobby.Current.Visitors.Single(v => v.Id != earlier.VisitorId);
        await page.InvokeAsync(() => load.SetResult(earlier.ResumeToken));

        page.WaitForAssertion(() => Assert.Contains(JSInterop.Invocations["save"], i => i.Arguments[0] is string));
        var saves = JSInterop.Invocations["save"];
        var token = (string)saves[^1].Arguments[0]!;
        Assert.Equal(submitted.Id, _lobby.Resume(token)!.VisitorId); // the page keeps the request it sent
        Assert.Equal("Waiting…", page.Find("h1").TextContent);
        Assert.Equal(VisitorStatus.Waiting, _lobby.Current.FindVisitor(submitted.Id)!.Status);

        await Services.GetRequiredService<LobbyCircuitHandler>().OnCircuitClosedAsync(null!, default);
        _time.Advance(new LobbyOptions().ReconnectGrace + TimeSpan.FromSeconds(1));
        _lobby.Sweep();
        Assert.Null(_lobby.Current.FindVisitor(submitted.Id)); // the page went: its request goes with it
    }

    [Fact]
    public async Task AnOlderSnapshotThatRunsAfterANewerOneIsSkipped()
    {
        var (ticket, page, host) = RenderWaitingPage();

        await page.InvokeAsync(() =>
        {
            // While this circuit is busy, the ringing snapshot comes from another thread and queues; the decline's
            // newer snapshot, published on the circuit's own thread, runs at once, before it.
            CallInfo? call = null;
            var other = new Thread(() => call = _lobby.Call(host.Id, ticket.VisitorId).Call);
            other.Start();
            other.Join();
            Assert.True(_lobby.Decline(ticket.VisitorId, call!.Id));
        });
        await page.InvokeAsync(() => { }); // queued behind the stale snapshot: it has run by now

        page.WaitForAssertion(() => Assert.Equal("Waiting…", page.Find("h1").TextContent));
        Assert.Empty(page.FindAll("button.answer"));
    }

    [Fact]
    public void TheTabThatAnswersGoesIntoTheCall()
    {
        Services.AddSingleton<IFailedAttemptSink>(NoFailedAttemptSink.Instance);
        Services.AddSingleton<ILogger<CallView>>(NullLogger<CallView>.Instance);
        JSInterop.SetupModule("./js/webrtc-call.js").SetupModule("createPeer", _ => true);
        var (ticket, page, host) = RenderWaitingPage();
        _lobby.Call(host.Id, ticket.VisitorId);
        page.WaitForAssertion(() => Assert.Equal("alice is calling", page.Find("h1").TextContent));

        page.Find("button.answer").Click();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("video[aria-label='Remote video']")));
        Assert.Equal(CallPhase.Answered, Assert.Single(_lobby.Current.Calls).Phase);
    }

    [Fact]
    public void ATabRingingWhenAnotherTabAnswersGoesBackToWaitingAndSaysWhy()
    {
        var (ticket, page, host) = RenderWaitingPage();

        var call = _lobby.Call(host.Id, ticket.VisitorId).Call!;
        page.WaitForAssertion(() => Assert.Equal("alice is calling", page.Find("h1").TextContent));
        Assert.True(_lobby.Answer(ticket.VisitorId, call.Id, "tab-a"));

        page.WaitForAssertion(() => Assert.Equal("Waiting…", page.Find("h1").TextContent));
        Assert.Equal("The call was answered in another tab.", page.Find(".notice").TextContent);
        Assert.Empty(page.FindAll("button.answer"));
    }
}
