using System.Collections.Concurrent;
using WebRtcChat.Components.Circuits;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Lobby;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Lobby;

public sealed class LobbyTests : IDisposable
{
    private static readonly AdministratorOptions Alice = new() { Name = "alice", ConsolePath = "/desk-alice-1", SuperAdministrator = true };
    private static readonly AdministratorOptions Dave = new() { Name = "dave", ConsolePath = "/desk-dave-12", PermittedVisitors = ["Bob"] };

    private readonly ManualTime _time = new();
    private readonly RecordingSink _attempts = new();
    private readonly WebRtcChatSettings _settings;
    private readonly LobbyParties _parties;

    public LobbyTests()
    {
        _settings = new WebRtcChatSettings(new WebRtcChatOptions { Administrators = [Alice, Dave] });
        _parties = new LobbyParties(_settings, _time, _attempts);
    }

    private global::WebRtcChat.Components.Lobby.Lobby Lobby => _parties.Lobby;

    public void Dispose() => _parties.Dispose();

    private (LobbyService Tab, VisitorTicket Ticket) Join(string name, string? host = "alice", string address = "192.0.2.1") => _parties.Join(name, host, address);

    private IEnumerable<ListedVisitor> ListedFor(AdministratorOptions host) => Visibility.For(Lobby.Current, host, _settings.Current.Administrators);

    private (LobbyService Host, CallInfo Call, LobbyService Visitor) AnsweredCall(string visitorName = "Bob")
    {
        var console = _parties.Console("alice", Alice.ConsolePath);
        var (tab, visitor) = Join(visitorName);
        var (refusal, call) = console.Call(visitor.VisitorId);
        Assert.Equal(CallRefusal.None, refusal);
        Assert.True(tab.Answer(call!.Id));
        LobbyParties.Drain(console);
        LobbyParties.Drain(tab);
        return (console, call, tab);
    }

    [Fact]
    public void AJoinedVisitorIsListedForTheHostTheyAskedFor()
    {
        var (_, ticket) = Join("Bob", host: "  ALICE ");

        Assert.True(ticket.Queued);
        var visitor = Assert.Single(ListedFor(Alice)).Visitor;
        Assert.Equal(("Bob", "alice", "192.0.2.1", "Firefox 128 on Linux", VisitorStatus.Waiting), (visitor.Name, visitor.HostName, visitor.Address, visitor.Browser, visitor.Status));
        Assert.Empty(ListedFor(Dave));
    }

    [Fact]
    public void AVisitorForAnUnknownHostIsSeenOnlyByTheSuperAdministrator()
    {
        Join("Eve", host: "mallory");

        var visitor = Assert.Single(ListedFor(Alice)).Visitor;
        Assert.Null(visitor.HostName);
        Assert.Equal("mallory", visitor.RequestedHost);
        Assert.Empty(ListedFor(Dave));
        Assert.Equal(CallRefusal.NotYours, _parties.Console("alice", Alice.ConsolePath).Call(visitor.Id).Refusal);
        var report = Assert.Single(_attempts.Reports);
        Assert.Equal(("unknown-administrator", "192.0.2.1"), (report.Kind, report.Address));
        Assert.Contains("mallory", report.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ASubscriberGetsTheCurrentSnapshotAtOnceAndThenEveryChange()
    {
        Join("Bob");
        var page = new LobbyInbox();

        Lobby.Attach(page);
        var (carol, _) = Join("Carol");
        carol.Leave();

        var seen = Snapshots(page);
        Assert.Equal(3, seen.Count);
        Assert.Equal(["Bob"], seen[0].Visitors.Select(v => v.Name));
        Assert.Equal(["Bob", "Carol"], seen[1].Visitors.Select(v => v.Name));
        Assert.Equal(["Bob"], seen[2].Visitors.Select(v => v.Name));
        Assert.True(seen[0].Version < seen[1].Version && seen[1].Version < seen[2].Version);
    }

    [Fact]
    public void ADisposedSubscriptionGetsNothingMore()
    {
        var page = new LobbyInbox();
        Lobby.Attach(page);
        Lobby.Detach(page);

        Join("Bob");

        Assert.Single(Snapshots(page));
    }

    [Fact]
    public void ASubscriberThatThrowsDisturbsNeitherOthersNorTheCaller()
    {
        // A circuit that is gone has a closed inbox: writing to it fails without a word, and nobody else notices.
        var gone = new LobbyInbox();
        Lobby.Attach(gone);
        gone.Close();
        var page = new LobbyInbox();
        Lobby.Attach(page);

        var (_, ticket) = Join("Bob");

        Assert.True(ticket.Queued);
        Assert.Equal(2, Snapshots(page).Count);
    }

    [Fact]
    public void CallingRingsTheVisitorAndAnsweringConnectsBoth()
    {
        var console = _parties.Console("alice", Alice.ConsolePath);
        var (tab, visitor) = Join("Bob");

        var (refusal, call) = console.Call(visitor.VisitorId);

        Assert.Equal(CallRefusal.None, refusal);
        Assert.Equal(VisitorStatus.Ringing, Lobby.Current.FindVisitor(visitor.VisitorId)!.Status);
        Assert.Equal(CallPhase.Ringing, Lobby.Current.FindCall(call!.Id)!.Phase);
        Assert.False(Lobby.Answer("someone-else", call.Id, tab.Inbox));
        Assert.True(tab.Answer(call.Id));
        Assert.Equal(VisitorStatus.InCall, Lobby.Current.FindVisitor(visitor.VisitorId)!.Status);
        Assert.Equal(CallPhase.Answered, Lobby.Current.FindCall(call.Id)!.Phase);
    }

    [Fact]
    public void HangingUpEndsTheCallOnBothSidesAndTheVisitorLeavesTheList()
    {
        var (console, call, tab) = AnsweredCall();

        Assert.True(tab.HangUp(call.Id));

        Assert.IsType<CallEndedMessage>(Assert.Single(LobbyParties.Messages(console)));
        Assert.IsType<CallEndedMessage>(Assert.Single(LobbyParties.Messages(tab)));
        Assert.Empty(Lobby.Current.Calls);
        Assert.Empty(Lobby.Current.Visitors);
        Assert.False(console.HangUp(call.Id));
    }

    [Fact]
    public void OnlyAPartyCanHangUp()
    {
        var (_, call, _) = AnsweredCall();

        Assert.False(Lobby.HangUp("not-a-party", call.Id));
        Assert.False(_parties.Circuit().HangUp(call.Id));
        Assert.Single(Lobby.Current.Calls);
    }

    [Fact]
    public void DecliningEndsTheCallAndTheVisitorWaitsOn()
    {
        var console = _parties.Console("alice", Alice.ConsolePath);
        var (tab, visitor) = Join("Bob");
        var (_, call) = console.Call(visitor.VisitorId);
        LobbyParties.Drain(console);

        Assert.True(tab.Decline(call!.Id));

        Assert.Equal("declined", Assert.IsType<CallEndedMessage>(Assert.Single(LobbyParties.Messages(console))).Reason);
        Assert.Equal(VisitorStatus.Waiting, Lobby.Current.FindVisitor(visitor.VisitorId)!.Status);
    }

    [Fact]
    public void DismissingTellsTheVisitorAndRemovesThem()
    {
        var console = _parties.Console("alice", Alice.ConsolePath);
        var (tab, visitor) = Join("Bob");

        Assert.True(console.Dismiss(visitor.VisitorId));

        Assert.IsType<DismissedMessage>(Assert.Single(LobbyParties.Messages(tab)));
        Assert.Empty(Lobby.Current.Visitors);
    }

    [Fact]
    public void AHostCannotDismissAnotherHostsVisitor()
    {
        var dave = _parties.Console("dave", Dave.ConsolePath);
        var (_, visitor) = Join("Bob", host: "alice");

        Assert.False(dave.Dismiss(visitor.VisitorId));
        Assert.Equal(CallRefusal.NotYours, dave.Call(visitor.VisitorId).Refusal);
        Assert.Single(Lobby.Current.Visitors);
    }

    [Fact]
    public void AHostHasOneCallAtATimeAndTheOthersStayWaiting()
    {
        var (console, _, _) = AnsweredCall("Bob");
        var (_, carol) = Join("Carol");
        var before = Lobby.Current.FindVisitor(carol.VisitorId);

        Assert.Equal(CallRefusal.Busy, console.Call(carol.VisitorId).Refusal);
        Assert.Equal(CallRefusal.Busy, _parties.Console("alice", Alice.ConsolePath).Call(carol.VisitorId).Refusal);
        Assert.Equal(before, Lobby.Current.FindVisitor(carol.VisitorId));
    }

    [Fact]
    public void ACallToANameNotOnTheHostsListIsRefusedWhateverTheBrowserSends()
    {
        var dave = _parties.Console("dave", Dave.ConsolePath);
        var (_, eve) = Join("Eve", host: "dave");
        var (_, bob) = Join("  bob ", host: "dave");

        Assert.False(ListedFor(Dave).Single(l => l.Visitor.Id == eve.VisitorId).Permitted);
        Assert.Equal(("not-permitted-name", "192.0.2.1", "Eve (for dave)"), Assert.Single(_attempts.Reports));
        Assert.Equal(CallRefusal.NotPermitted, dave.Call(eve.VisitorId).Refusal);
        Assert.True(ListedFor(Dave).Single(l => l.Visitor.Id == bob.VisitorId).Permitted);
        Assert.Equal(CallRefusal.None, dave.Call(bob.VisitorId).Refusal);
    }

    [Fact]
    public void PastMaxWaitingAVisitorIsAnsweredTheSameButNotQueued()
    {
        _settings.Apply(_settings.Current with { Lobby = new LobbyOptions { MaxWaiting = 2, MaxWaitingPerAddress = 2 } });

        Assert.True(Join("A", address: "192.0.2.1").Ticket.Queued);
        Assert.True(Join("B", address: "192.0.2.2").Ticket.Queued);
        var (_, third) = Join("C", address: "192.0.2.3");

        Assert.False(third.Queued);
        Assert.Null(third.ResumeToken);
        Assert.Equal(2, Lobby.Current.Visitors.Length);
        Assert.Equal(("lobby-full", "192.0.2.3", "C"), Assert.Single(_attempts.Reports));
    }

    [Fact]
    public void PastMaxWaitingPerAddressAVisitorIsNotQueued()
    {
        _settings.Apply(_settings.Current with { Lobby = new LobbyOptions { MaxWaiting = 10, MaxWaitingPerAddress = 2 } });

        Assert.True(Join("A").Ticket.Queued);
        Assert.True(Join("B").Ticket.Queued);
        Assert.False(Join("C").Ticket.Queued);
        Assert.True(Join("D", address: "192.0.2.9").Ticket.Queued);
        Assert.True(Join("E", address: "2001:db8:1:2::1").Ticket.Queued);
        Assert.True(Join("F", address: "2001:db8:1:2::2").Ticket.Queued);
        Assert.False(Join("G", address: "2001:db8:1:2::3").Ticket.Queued); // the same /64: the same client
        Assert.True(Join("H", address: "2001:db8:1:3::1").Ticket.Queued);
    }

    [Fact]
    public void ALoopOfRequestAndCancelFromOneAddressIsListedOnlyUpToTheLimitWithinTheWindow()
    {
        _settings.Apply(_settings.Current with { Lobby = new LobbyOptions { MaxRequestsPerAddress = 3, RequestWindow = TimeSpan.FromMinutes(10) } });
        var listed = 0;
        for (var i = 0; i < 5; i++)
        {
            var (tab, ticket) = Join("Loop");
            if (ticket.Queued)
            {
                listed++;
                var (reloaded, resumed) = _parties.Resume(ticket.ResumeToken);
                Assert.NotNull(resumed); // a reload takes the place back and is no request
                reloaded.Leave();
            }
        }

        Assert.Equal(3, listed);
        Assert.Empty(Lobby.Current.Visitors);
        Assert.Equal([("lobby-full", "192.0.2.1", "Loop"), ("lobby-full", "192.0.2.1", "Loop")], _attempts.Reports);
        Assert.True(Join("Other", address: "192.0.2.2").Ticket.Queued);
        Assert.True(Join("Same /64", address: "2001:db8:1:2::1").Ticket.Queued);

        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.True(Join("Loop").Ticket.Queued);
    }

    [Fact]
    public void AVisitorWhosePageWentAwayMidCallEndsTheCallForTheHost()
    {
        var (console, call, tab) = AnsweredCall();

        tab.Dispose(); // the circuit ends

        Assert.Equal(call.Id, Assert.IsType<CallEndedMessage>(Assert.Single(LobbyParties.Messages(console))).CallId);
        Assert.Empty(Lobby.Current.Calls);
    }

    [Fact]
    public void AClosedConsoleEndsItsCall()
    {
        var (console, _, tab) = AnsweredCall();

        console.CloseConsole();

        Assert.IsType<CallEndedMessage>(Assert.Single(LobbyParties.Messages(tab)));
        Assert.Equal(VisitorStatus.Waiting, Lobby.Current.FindVisitor(tab.VisitorId!)!.Status);
    }

    [Fact]
    public void AnUnansweredCallIsGivenUpAfterTheRingTimeout()
    {
        var console = _parties.Console("alice", Alice.ConsolePath);
        var (_, visitor) = Join("Bob");
        console.Call(visitor.VisitorId);

        _time.Advance(global::WebRtcChat.Components.Lobby.Lobby.RingTimeout);
        Lobby.Sweep();

        Assert.Empty(Lobby.Current.Calls);
        Assert.Equal(VisitorStatus.Waiting, Lobby.Current.FindVisitor(visitor.VisitorId)!.Status);
    }

    [Fact]
    public async Task TwoHundredParallelJoinsAndLeavesLeaveEverySnapshotConsistentAndEverySubscriberAtTheFinalState()
    {
        _settings.Apply(_settings.Current with { Lobby = new LobbyOptions { MaxWaiting = 10_000, MaxWaitingPerAddress = 10_000 } });
        var pages = Enumerable.Range(0, 4).Select(_ => new LobbyInbox()).ToArray();
        foreach (var page in pages)
        {
            Lobby.Attach(page);
        }

        var tabs = new ConcurrentBag<LobbyService>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 200), new ParallelOptions { MaxDegreeOfParallelism = 8 }, (i, _) =>
        {
            var tab = new LobbyService(Lobby, _parties.Relay, _settings, _time, _attempts);
            tabs.Add(tab);
            Assert.True(tab.Join(new VisitorRequest($"Visitor {i}", "alice", $"198.51.100.{i % 250}", null)).Queued);
            tab.Leave();
            return ValueTask.CompletedTask;
        });

        var final = Lobby.Current;
        Assert.Empty(final.Visitors);
        Assert.Equal(400, final.Version); // one version per join and per leave, none lost
        foreach (var page in pages)
        {
            var seen = Snapshots(page);
            Assert.Equal(final.Version, seen[^1].Version); // nobody misses the final state
            Assert.True(seen.Zip(seen.Skip(1)).All(pair => pair.First.Version < pair.Second.Version)); // never backwards
            Assert.All(seen, snapshot => Assert.Equal(snapshot.Visitors.Length, snapshot.Visitors.Select(v => v.Id).Distinct().Count()));
            Assert.All(seen, snapshot => Assert.True(snapshot.Visitors.Length <= 200));
        }

        foreach (var tab in tabs)
        {
            tab.Dispose();
        }
    }

    [Fact]
    public void AHostsOwnCountryListNarrowsWhoIsQueuedForThem()
    {
        _settings.Apply(_settings.Current with { Administrators = [Alice with { AllowedCountries = ["DE"] }, Dave] });

        var german = _parties.Join("Bob", "alice", "192.0.2.2", countryCode: "DE").Ticket;
        var american = _parties.Join("Carl", "alice", "192.0.2.3", countryCode: "US").Ticket;
        var forDave = _parties.Join("Dan", "dave", "192.0.2.4", countryCode: "US").Ticket;

        Assert.True(german.Queued);
        Assert.False(american.Queued);
        Assert.True(forDave.Queued);
        var report = Assert.Single(_attempts.Reports, r => r.Kind == "geoblocked");
        Assert.Equal("192.0.2.3", report.Address);
    }

    [Fact]
    public void AConsoleWhosePathIsNoLongerConfiguredIsClosedAndItsCallEnds()
    {
        var (console, call, tab) = AnsweredCall();
        var visitorId = tab.VisitorId!;

        _settings.Apply(_settings.Current with { Administrators = [Alice with { ConsolePath = "/moved-desk-1" }, Dave] });

        Assert.Contains(LobbyParties.Messages(console), m => m is ConsoleClosedMessage);
        Assert.Equal(call.Id, Assert.IsType<CallEndedMessage>(Assert.Single(LobbyParties.Messages(tab))).CallId);
        Assert.Empty(Lobby.Current.Hosts);
        Assert.Equal(CallRefusal.NotYours, console.Call(visitorId).Refusal);
        Assert.False(console.Dismiss(visitorId));
        Assert.Null(_parties.Circuit().OpenConsole("alice", Alice.ConsolePath, "192.0.2.9")); // a page loaded before the change
        Assert.NotNull(_parties.Circuit().OpenConsole("alice", "/moved-desk-1", "192.0.2.9"));
    }

    [Fact]
    public void ConsolesFollowTheListsAsTheyAreNowAndTheSuperAdministratorInheritsARemovedHostsVisitors()
    {
        var (_, eve) = Join("Eve", host: "dave");
        Assert.False(Assert.Single(ListedFor(Dave)).Permitted);

        var daveWithEve = Dave with { PermittedVisitors = ["Bob", "Eve"] };
        _settings.Apply(_settings.Current with { Administrators = [Alice, daveWithEve] });
        Assert.True(Assert.Single(ListedFor(daveWithEve)).Permitted);
        Assert.Equal(CallRefusal.None, _parties.Console("dave", Dave.ConsolePath).Call(eve.VisitorId).Refusal);

        _settings.Apply(_settings.Current with { Administrators = [Alice] });
        var orphan = Assert.Single(ListedFor(Alice)).Visitor;
        Assert.Null(orphan.HostName); // shown as "Unknown administrator", and not callable
    }

    [Fact]
    public void MessagesReachAPartyBeforeTheSnapshotThatShowsWhy()
    {
        var (console, call, tab) = AnsweredCall();
        tab.Attach();
        LobbyParties.Drain(tab);
        var visitorId = tab.VisitorId!;

        console.HangUp(call.Id);

        Assert.Equal(["CallEndedMessage", "gone"], LobbyParties.Drain(tab).Select(e => e is SnapshotChanged s
            ? (s.Snapshot.FindVisitor(visitorId) is null ? "gone" : "listed")
            : e.GetType().Name));
    }

    private static List<LobbySnapshot> Snapshots(LobbyInbox page)
    {
        var snapshots = new List<LobbySnapshot>();
        while (page.TryRead(out var item))
        {
            if (item is SnapshotChanged changed)
            {
                snapshots.Add(changed.Snapshot);
            }
        }

        return snapshots;
    }

    private sealed class RecordingSink : WebRtcChat.Components.Security.IFailedAttemptSink
    {
        public ConcurrentQueue<(string Kind, string Address, string Detail)> Reports { get; } = new();

        public void Report(string kind, string address, string detail) => Reports.Enqueue((kind, address, detail));
    }
}
