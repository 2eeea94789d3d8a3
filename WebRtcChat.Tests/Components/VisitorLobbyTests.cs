using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WebRtcChat.Components.Calls;
using WebRtcChat.Components.Circuits;
using WebRtcChat.Components.Interop;
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
    private readonly LobbyParties _parties;
    private readonly LobbyService _page;
    private readonly WebRtcChatSettings _settings;
    private readonly BunitJSModuleInterop _session;

    public VisitorLobbyTests()
    {
        var settings = _settings = new WebRtcChatSettings(new WebRtcChatOptions { Administrators = [Alice], Server = new() { PathBase = "/k3x9" } });
        _parties = new LobbyParties(settings, _time);
        _page = _parties.Circuit(); // the page's circuit
        Services.AddSingleton(_page);
        Services.AddSingleton(settings);
        Services.AddSingleton<TimeProvider>(_time);
        Services.AddLocalization();
        _session = JSInterop.SetupModule("./js/visitor-session.js");
        _session.SetupVoid("save", _ => true).SetVoidResult();
        _support = JSInterop.SetupModule("./js/ice-check.js").Setup<CallSupport?>("callSupport");
        _support.SetResult(new CallSupport(PeerConnection: true, Media: true, SecureContext: true));
        _ring = JSInterop.SetupModule("./js/ring.js").SetupModule("init", _ => true);
        _permission = _ring.Setup<string>("permission");
        _permission.SetResult("default");
        _ring.SetupVoid("start", _ => true).SetVoidResult();
        _ring.SetupVoid("stop").SetVoidResult();
        _ring.SetupVoid("dispose").SetVoidResult();
        DevicePickerTests.SetUp(JSInterop);
    }

    private readonly BunitJSModuleInterop _ring;
    private readonly JSRuntimeInvocationHandler<string> _permission;

    private readonly JSRuntimeInvocationHandler<CallSupport?> _support;

    protected override void Dispose(bool disposing)
    {
        _parties.Dispose();
        base.Dispose(disposing);
    }

    private IRenderedComponent<VisitorLobby> RenderPage() => Render<VisitorLobby>(p => p
        .Add(c => c.ClientAddress, "192.0.2.1")
        .Add(c => c.PathBase, "/k3x9"));

    private global::WebRtcChat.Components.Lobby.Lobby Lobby => _parties.Lobby;

    // A page that took back its place in the list from another tab (as a duplicated tab does), and alice's console open.
    private (VisitorTicket Ticket, IRenderedComponent<VisitorLobby> Page, LobbyService Host, LobbyService OtherTab) RenderWaitingPage(string name = "Bob")
    {
        var (otherTab, ticket) = _parties.Join(name, host: null);
        _session.Setup<string?>("load", _ => true).SetResult(ticket.ResumeToken);
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Equal("Waiting…", page.Find("h1").TextContent));
        return (ticket, page, _parties.Console("alice", Alice.ConsolePath), otherTab);
    }

    private void MoveTheSubDirectory() =>
        _settings.Apply(_settings.Current with { Server = _settings.Current.Server with { PathBase = "/new-place" } });

    [Fact]
    public void TheWaitingTimeTicksInTheBrowserNotByRenderingThePageEachSecond()
    {
        var time = new TickingTime(); // the page's timers fire as this clock moves
        Services.AddSingleton<TimeProvider>(time);
        _time.Advance(TimeSpan.FromSeconds(-42)); // Bob joined 42 s before the page came back
        var (_, page, _, _) = RenderWaitingPage();
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(0, time.RunningTimers); // nothing on the server wakes each second to draw the clock
        var clock = page.Find(".elapsed elapsed-time");
        Assert.Equal("42000", clock.GetAttribute("elapsed-ms")); // where the page's own clock starts from
        Assert.Equal("0:42", clock.TextContent); // what it shows before the module runs
        Assert.Equal("off", clock.GetAttribute("aria-live")); // inside the page's live region, not announced each second
    }

    [Fact]
    public void AWaitingPageRetiresWhenTheSubDirectoryMovesAndLeavesTheList()
    {
        var (_, page, _, _) = RenderWaitingPage("Mallory");

        MoveTheSubDirectory();

        page.WaitForAssertion(() => Assert.Equal("This page is no longer available", page.Find("h1").TextContent));
        Assert.Empty(Lobby.Current.Visitors);
        Assert.Empty(page.FindAll("button, form"));
        Assert.Contains(JSInterop.Invocations["save"], i => i.Arguments[0] is null); // the place's token is forgotten
    }

    [Fact]
    public void APageInACallRetiresOnlyWhenTheCallEnds()
    {
        Services.AddSingleton<ILogger<CallView>>(NullLogger<CallView>.Instance);
        var peer = JSInterop.SetupModule("./js/webrtc-call.js").SetupModule("createPeer", _ => true);
        peer.SetupVoid("close").SetVoidResult();
        peer.Setup<CallFeatures?>("features").SetResult(new CallFeatures(false, false, false));
        var (ticket, page, host, _) = RenderWaitingPage();
        var call = host.Call(ticket.VisitorId).Call!;
        page.WaitForAssertion(() => page.Find("button.answer").Click());
        page.WaitForAssertion(() => Assert.NotNull(page.Find("video[aria-label='Remote video']")));

        MoveTheSubDirectory();
        Assert.NotNull(page.Find("video[aria-label='Remote video']"));
        Assert.Single(Lobby.Current.Calls);

        host.HangUp(call.Id);
        page.WaitForAssertion(() => Assert.Equal("This page is no longer available", page.Find("h1").TextContent));
        Assert.Empty(Lobby.Current.Visitors);
    }

    [Fact]
    public async Task ARequestSentBeforeThePageReadItsStorageIsThePlaceKeptAndNothingIsLeftBehind()
    {
        var earlier = _parties.Join("Bob", host: null).Ticket;
        var load = _session.Setup<string?>("load", _ => true); // the storage answers late
        var page = RenderPage();

        page.Find("#visitor-name").Change("Bob");
        page.Find("form").Submit();
        var submitted = Lobby.Current.Visitors.Single(v => v.Id != earlier.VisitorId);
        await page.InvokeAsync(() => load.SetResult(earlier.ResumeToken));

        page.WaitForAssertion(() => Assert.Contains(JSInterop.Invocations["save"], i => i.Arguments[0] is string));
        var saves = JSInterop.Invocations["save"];
        var token = (string)saves[^1].Arguments[0]!;
        Assert.Equal(submitted.Id, Lobby.Resume(token, _page.Inbox)!.VisitorId); // the page keeps the request it sent
        Assert.Equal("Waiting…", page.Find("h1").TextContent);
        Assert.Equal(VisitorStatus.Waiting, Lobby.Current.FindVisitor(submitted.Id)!.Status);

        await _page.OnCircuitClosedAsync(null!, default);
        _time.Advance(new LobbyOptions().ReconnectGrace + TimeSpan.FromSeconds(1));
        Lobby.Sweep();
        Assert.Null(Lobby.Current.FindVisitor(submitted.Id)); // the page went: its request goes with it
    }

    [Fact]
    public async Task AnOlderSnapshotThatRunsAfterANewerOneIsSkipped()
    {
        var (ticket, page, host, _) = RenderWaitingPage();

        await page.InvokeAsync(() =>
        {
            // While this circuit is busy, the ringing snapshot comes from another thread and queues; the decline's
            // newer snapshot, published on the circuit's own thread, runs at once, before it.
            CallInfo? call = null;
            var other = new Thread(() => call = host.Call(ticket.VisitorId).Call);
            other.Start();
            other.Join();
            Assert.True(_page.Decline(call!.Id));
        });
        await page.InvokeAsync(() => { }); // queued behind the stale snapshot: it has run by now

        page.WaitForAssertion(() => Assert.Equal("Waiting…", page.Find("h1").TextContent));
        Assert.Empty(page.FindAll("button.answer"));
    }

    [Fact]
    public void TheTabThatAnswersGoesIntoTheCall()
    {
        Services.AddSingleton<ILogger<CallView>>(NullLogger<CallView>.Instance);
        JSInterop.SetupModule("./js/webrtc-call.js").SetupModule("createPeer", _ => true)
            .Setup<CallFeatures?>("features").SetResult(new CallFeatures(false, false, false));
        var (ticket, page, host, _) = RenderWaitingPage();
        host.Call(ticket.VisitorId);
        page.WaitForAssertion(() => Assert.Equal("alice is calling", page.Find("h1").TextContent));

        page.Find("button.answer").Click();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("video[aria-label='Remote video']")));
        Assert.Equal(CallPhase.Answered, Assert.Single(Lobby.Current.Calls).Phase);
    }

    [Fact]
    public void ATabRingingWhenAnotherTabAnswersGoesBackToWaitingAndSaysWhy()
    {
        var (ticket, page, host, otherTab) = RenderWaitingPage();

        var call = host.Call(ticket.VisitorId).Call!;
        page.WaitForAssertion(() => Assert.Equal("alice is calling", page.Find("h1").TextContent));
        Assert.True(otherTab.Answer(call.Id));

        page.WaitForAssertion(() => Assert.Equal("Waiting…", page.Find("h1").TextContent));
        Assert.Equal("The call was answered in another tab.", page.Find(".notice").TextContent);
        Assert.Empty(page.FindAll("button.answer"));
    }

    [Fact]
    public void TheWaitingPageShowsTheHostsLatestLineAsText()
    {
        var (ticket, page, host, _) = RenderWaitingPage();

        Assert.Equal(NoteOutcome.Sent, host.SendNote(ticket.VisitorId, "<b>Back</b> in 5 minutes <img src=x onerror=alert(1)>"));

        page.WaitForAssertion(() => Assert.Equal("<b>Back</b> in 5 minutes <img src=x onerror=alert(1)>", page.Find(".host-note .text").TextContent));
        Assert.Empty(page.FindAll(".host-note b, .host-note img"));
        Assert.Equal("Message from the host:", page.Find(".host-note .from").TextContent);

        host.SendNote(ticket.VisitorId, "Back in 10 minutes, sorry");
        page.WaitForAssertion(() => Assert.Equal("Back in 10 minutes, sorry", Assert.Single(page.FindAll(".host-note .text")).TextContent));
    }

    [Fact]
    public void TheUnavailableViewShowsTheReasonTheHostGaveAndNoEarlierLine()
    {
        var (ticket, page, host, _) = RenderWaitingPage();
        host.SendNote(ticket.VisitorId, "Back in 5 minutes");
        page.WaitForAssertion(() => Assert.NotNull(page.Find(".host-note")));

        Assert.True(host.Dismiss(ticket.VisitorId, "Sorry, I have to leave <now>."));

        page.WaitForAssertion(() => Assert.Equal("The host is not available right now", page.Find("h1").TextContent));
        Assert.Equal("Sorry, I have to leave <now>.", Assert.Single(page.FindAll(".host-note .text")).TextContent);
    }

    [Fact]
    public void ADismissalWithoutAReasonShowsNoLine()
    {
        var (ticket, page, host, _) = RenderWaitingPage();
        host.SendNote(ticket.VisitorId, "Back in 5 minutes");
        page.WaitForAssertion(() => Assert.NotNull(page.Find(".host-note")));

        Assert.True(host.Dismiss(ticket.VisitorId));

        page.WaitForAssertion(() => Assert.Equal("The host is not available right now", page.Find("h1").TextContent));
        Assert.Empty(page.FindAll(".host-note"));
    }

    // Alice calls the waiting page, which rings.
    private async Task<(CallInfo Call, IRenderedComponent<VisitorLobby> Page, LobbyService Host, LobbyService OtherTab)> RingingPageAsync()
    {
        var (ticket, page, host, otherTab) = RenderWaitingPage();
        await RingIsToldAsync("permission", 1); // the ring is ready
        Assert.Empty(JSInterop.Invocations["start"]); // waiting is silent

        var call = host.Call(ticket.VisitorId).Call!;

        page.WaitForAssertion(() => Assert.Equal("alice is calling", page.Find("h1").TextContent));
        await RingIsToldAsync("start", 1);
        Assert.Empty(JSInterop.Invocations["stop"]);
        return (call, page, host, otherTab);
    }

    // The page calls its modules after a render has been seen, so WaitForAssertion (which checks on renders) cannot wait for it.
    private async Task RingIsToldAsync(string identifier, int times)
    {
        await Eventually.HoldsAsync(() => JSInterop.Invocations[identifier].Count >= times, TimeSpan.FromSeconds(5));
        Assert.Equal(times, JSInterop.Invocations[identifier].Count);
    }

    private async Task RingStopsAsync()
    {
        await RingIsToldAsync("stop", 1);
        Assert.Single(JSInterop.Invocations["start"]);
    }

    [Fact]
    public async Task TheRingingViewRingsUntilTheLobbyGivesTheCallUpAndAnswerStopsIt()
    {
        Services.AddSingleton<ILogger<CallView>>(NullLogger<CallView>.Instance);
        var peer = JSInterop.SetupModule("./js/webrtc-call.js").SetupModule("createPeer", _ => true);
        peer.Mode = JSRuntimeMode.Loose; // what the call view asks of its peer is not this test's business
        var (_, page, _, _) = await RingingPageAsync();
        var seconds = Assert.IsType<double>(JSInterop.Invocations["start"][0].Arguments[0]);
        Assert.InRange(seconds, global::WebRtcChat.Components.Lobby.Lobby.RingTimeout.TotalSeconds, global::WebRtcChat.Components.Lobby.Lobby.RingTimeout.TotalSeconds + 5);

        page.Find("button.answer").Click();

        await RingStopsAsync();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("video[aria-label='Remote video']")));
    }

    [Fact]
    public async Task DeclineStopsTheRing()
    {
        var (_, page, _, _) = await RingingPageAsync();

        page.FindAll(".controls button").Single(b => b.TextContent == "Decline").Click();

        await RingStopsAsync();
        Assert.Equal("Waiting…", page.Find("h1").TextContent);
    }

    [Theory]
    [InlineData("the host cancels")]
    [InlineData("the ring times out")]
    [InlineData("another tab answers")]
    [InlineData("the host dismisses the visitor")]
    public async Task TheRingStopsWhenTheCallGoesAway(string how)
    {
        var (call, page, host, otherTab) = await RingingPageAsync();

        switch (how)
        {
            case "the host cancels":
                Assert.True(host.HangUp(call.Id));
                break;
            case "the ring times out":
                _time.Advance(global::WebRtcChat.Components.Lobby.Lobby.RingTimeout);
                Lobby.Sweep();
                break;
            case "another tab answers":
                Assert.True(otherTab.Answer(call.Id));
                break;
            default:
                Assert.True(host.Dismiss(call.VisitorId));
                break;
        }

        await RingStopsAsync();
        Assert.Empty(page.FindAll("button.answer"));
    }

    [Fact]
    public async Task APageThatGoesWhileRingingStopsItsRing()
    {
        await RingingPageAsync();

        await DisposeComponentsAsync();

        Assert.Single(JSInterop.Invocations["dispose"]);
    }

    [Fact]
    public void TheWaitingPageAsksForNotificationsOnlyWhenTheVisitorPressesTheButton()
    {
        var prompt = _ring.Setup<string>("requestNotificationPermission");
        var (_, page, _, _) = RenderWaitingPage();
        var button = page.WaitForElement("button.notify");
        Assert.Equal("Notify me when I am called", button.TextContent);
        Assert.Empty(JSInterop.Invocations["requestNotificationPermission"]);

        button.Click();

        Assert.Equal(CancellationToken.None, Assert.Single(JSInterop.Invocations["requestNotificationPermission"]).CancellationToken);
        prompt.SetResult("granted");
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("button.notify")));
        Assert.Equal("This browser will show a notification when the host calls.", page.Find(".note").TextContent);
    }

    [Theory]
    [InlineData("granted")]
    [InlineData("denied")]
    [InlineData("unsupported")]
    public async Task APageWhoseBrowserHasAnsweredAlreadyOffersNoButton(string permission)
    {
        _permission.SetResult(permission);
        var (_, page, _, _) = RenderWaitingPage();
        await RingIsToldAsync("permission", 1);

        Assert.Empty(page.FindAll("button.notify"));
        Assert.Empty(JSInterop.Invocations["requestNotificationPermission"]);
    }

    [Fact]
    public void ADuplicatedTabLearnsItsPlaceIsGoneWhenTheOtherTabCancels()
    {
        var (_, page, _, otherTab) = RenderWaitingPage();

        otherTab.Leave();

        page.WaitForAssertion(() => Assert.Equal("Your request is no longer in the list. Please request again.", page.Find(".notice").TextContent));
        Assert.NotNull(page.Find("form"));
    }

    [Theory]
    [InlineData(false, true, true, "This browser cannot make video calls.")]
    [InlineData(true, false, true, "This browser cannot make video calls.")]
    [InlineData(true, true, false, "This page is not opened over a secure connection")]
    public void ABrowserThatCannotCallIsToldSoBeforeItQueuesAndTakesNoPlace(bool peerConnection, bool media, bool secureContext, string told)
    {
        _support.SetResult(new CallSupport(peerConnection, media, secureContext));
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Single(JSInterop.Invocations["callSupport"]));

        page.Find("#visitor-name").Change("Bob");
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.StartsWith(told, page.Find("[role=alert]").TextContent, StringComparison.Ordinal));
        Assert.Empty(Lobby.Current.Visitors);
        Assert.Equal("Video chat", page.Find("h1").TextContent);
    }
}
