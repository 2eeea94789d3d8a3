using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Lobby;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Lobby;

public sealed class LobbyServiceTests : IDisposable
{
    private static readonly AdministratorOptions Alice = new() { Name = "alice", ConsolePath = "/desk-alice-1", SuperAdministrator = true };
    private static readonly AdministratorOptions Dave = new() { Name = "dave", ConsolePath = "/desk-dave-12", PermittedVisitors = ["Bob"] };

    private readonly ManualTime _time = new();
    private readonly RecordingSink _attempts = new();
    private readonly WebRtcChatSettings _settings;
    private readonly LobbyService _lobby;

    public LobbyServiceTests()
    {
        _settings = new WebRtcChatSettings(new WebRtcChatOptions { Administrators = [Alice, Dave] });
        _lobby = new LobbyService(_settings, _time, NullLogger<LobbyService>.Instance, _attempts);
    }

    public void Dispose() => _lobby.Dispose();

    private VisitorTicket Join(string name, string? host = "alice", string address = "192.0.2.1") =>
        _lobby.Join(new VisitorRequest(name, host, address, "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"));

    private (ConcurrentQueue<PartyMessage> Messages, IDisposable Subscription) Listen(string party)
    {
        var messages = new ConcurrentQueue<PartyMessage>();
        return (messages, _lobby.SubscribeParty(party, messages.Enqueue));
    }

    private (HostSession Session, CallInfo Call, VisitorTicket Visitor) AnsweredCall(string visitorName = "Bob")
    {
        var session = _lobby.OpenConsole("alice", Alice.ConsolePath)!;
        var visitor = Join(visitorName);
        var (refusal, call) = _lobby.Call(session.Id, visitor.VisitorId);
        Assert.Equal(CallRefusal.None, refusal);
        Assert.True(_lobby.Answer(visitor.VisitorId, call!.Id));
        return (session, call, visitor);
    }

    [Fact]
    public void AJoinedVisitorIsListedForTheHostTheyAskedFor()
    {
        var ticket = Join("Bob", host: "  ALICE ");

        Assert.True(ticket.Queued);
        var visitor = Assert.Single(_lobby.Current.VisibleTo(Alice, _settings.Current.Administrators));
        Assert.Equal(("Bob", "alice", "192.0.2.1", "Firefox 128 on Linux", VisitorStatus.Waiting), (visitor.Name, visitor.HostName, visitor.Address, visitor.Browser, visitor.Status));
        Assert.Empty(_lobby.Current.VisibleTo(Dave, _settings.Current.Administrators));
    }

    [Fact]
    public void AVisitorForAnUnknownHostIsSeenOnlyByTheSuperAdministrator()
    {
        Join("Eve", host: "mallory");

        var visitor = Assert.Single(_lobby.Current.VisibleTo(Alice, _settings.Current.Administrators));
        Assert.Null(visitor.HostName);
        Assert.Equal("mallory", visitor.RequestedHost);
        Assert.Empty(_lobby.Current.VisibleTo(Dave, _settings.Current.Administrators));
        var session = _lobby.OpenConsole("alice", Alice.ConsolePath)!;
        Assert.Equal(CallRefusal.NotYours, _lobby.Call(session.Id, visitor.Id).Refusal);
        var report = Assert.Single(_attempts.Reports);
        Assert.Equal(("unknown-administrator", "192.0.2.1"), (report.Kind, report.Address));
        Assert.Contains("mallory", report.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ASubscriberGetsTheCurrentSnapshotAtOnceAndThenEveryChange()
    {
        Join("Bob");
        var seen = new List<LobbySnapshot>();

        using var subscription = _lobby.Subscribe(seen.Add);
        var carol = Join("Carol");
        _lobby.Leave(carol.VisitorId);

        Assert.Equal(3, seen.Count);
        Assert.Equal(["Bob"], seen[0].Visitors.Select(v => v.Name));
        Assert.Equal(["Bob", "Carol"], seen[1].Visitors.Select(v => v.Name));
        Assert.Equal(["Bob"], seen[2].Visitors.Select(v => v.Name));
        Assert.True(seen[0].Version < seen[1].Version && seen[1].Version < seen[2].Version);
    }

    [Fact]
    public void ADisposedSubscriptionGetsNothingMore()
    {
        var seen = 0;
        var subscription = _lobby.Subscribe(_ => seen++);
        subscription.Dispose();

        Join("Bob");

        Assert.Equal(1, seen);
    }

    [Fact]
    public void ASubscriberThatThrowsDisturbsNeitherOthersNorTheCaller()
    {
        using var bad = _lobby.Subscribe(_ => throw new InvalidOperationException("circuit gone"));
        var seen = new List<LobbySnapshot>();
        using var good = _lobby.Subscribe(seen.Add);

        var ticket = Join("Bob");

        Assert.True(ticket.Queued);
        Assert.Equal(2, seen.Count);
    }

    [Fact]
    public void CallingRingsTheVisitorAndAnsweringConnectsBoth()
    {
        var session = _lobby.OpenConsole("alice", Alice.ConsolePath)!;
        var visitor = Join("Bob");

        var (refusal, call) = _lobby.Call(session.Id, visitor.VisitorId);

        Assert.Equal(CallRefusal.None, refusal);
        Assert.Equal(VisitorStatus.Ringing, _lobby.Current.FindVisitor(visitor.VisitorId)!.Status);
        Assert.Equal(CallPhase.Ringing, _lobby.Current.FindCall(call!.Id)!.Phase);
        Assert.False(_lobby.Answer("someone-else", call.Id));
        Assert.True(_lobby.Answer(visitor.VisitorId, call.Id));
        Assert.Equal(VisitorStatus.InCall, _lobby.Current.FindVisitor(visitor.VisitorId)!.Status);
        Assert.Equal(CallPhase.Answered, _lobby.Current.FindCall(call.Id)!.Phase);
    }

    [Fact]
    public void HangingUpEndsTheCallOnBothSidesAndTheVisitorLeavesTheList()
    {
        var (session, call, visitor) = AnsweredCall();
        var (hostMessages, h) = Listen(session.Id);
        var (visitorMessages, v) = Listen(visitor.VisitorId);

        Assert.True(_lobby.HangUp(visitor.VisitorId, call.Id));

        Assert.IsType<CallEndedMessage>(Assert.Single(hostMessages));
        Assert.IsType<CallEndedMessage>(Assert.Single(visitorMessages));
        Assert.Empty(_lobby.Current.Calls);
        Assert.Empty(_lobby.Current.Visitors);
        Assert.False(_lobby.HangUp(session.Id, call.Id));
        h.Dispose();
        v.Dispose();
    }

    [Fact]
    public void OnlyAPartyCanHangUp()
    {
        var (_, call, _) = AnsweredCall();

        Assert.False(_lobby.HangUp("not-a-party", call.Id));
        Assert.Single(_lobby.Current.Calls);
    }

    [Fact]
    public void DecliningEndsTheCallAndTheVisitorWaitsOn()
    {
        var session = _lobby.OpenConsole("alice", Alice.ConsolePath)!;
        var visitor = Join("Bob");
        var (_, call) = _lobby.Call(session.Id, visitor.VisitorId);
        var (hostMessages, h) = Listen(session.Id);

        Assert.True(_lobby.Decline(visitor.VisitorId, call!.Id));

        Assert.Equal("declined", Assert.IsType<CallEndedMessage>(Assert.Single(hostMessages)).Reason);
        Assert.Equal(VisitorStatus.Waiting, _lobby.Current.FindVisitor(visitor.VisitorId)!.Status);
        h.Dispose();
    }

    [Fact]
    public void DismissingTellsTheVisitorAndRemovesThem()
    {
        var session = _lobby.OpenConsole("alice", Alice.ConsolePath)!;
        var visitor = Join("Bob");
        var (messages, m) = Listen(visitor.VisitorId);

        Assert.True(_lobby.Dismiss(session.Id, visitor.VisitorId));

        Assert.IsType<DismissedMessage>(Assert.Single(messages));
        Assert.Empty(_lobby.Current.Visitors);
        m.Dispose();
    }

    [Fact]
    public void AHostCannotDismissAnotherHostsVisitor()
    {
        var daveSession = _lobby.OpenConsole("dave", Dave.ConsolePath)!;
        var visitor = Join("Bob", host: "alice");

        Assert.False(_lobby.Dismiss(daveSession.Id, visitor.VisitorId));
        Assert.Equal(CallRefusal.NotYours, _lobby.Call(daveSession.Id, visitor.VisitorId).Refusal);
        Assert.Single(_lobby.Current.Visitors);
    }

    [Fact]
    public void AHostHasOneCallAtATimeAndTheOthersStayWaiting()
    {
        var (session, _, _) = AnsweredCall("Bob");
        var carol = Join("Carol");
        var before = _lobby.Current.FindVisitor(carol.VisitorId);

        Assert.Equal(CallRefusal.Busy, _lobby.Call(session.Id, carol.VisitorId).Refusal);
        Assert.Equal(CallRefusal.Busy, _lobby.Call(_lobby.OpenConsole("alice", Alice.ConsolePath)!.Id, carol.VisitorId).Refusal);
        Assert.Equal(before, _lobby.Current.FindVisitor(carol.VisitorId));
    }

    [Fact]
    public void ACallToANameNotOnTheHostsListIsRefusedWhateverTheBrowserSends()
    {
        var session = _lobby.OpenConsole("dave", Dave.ConsolePath)!;
        var eve = Join("Eve", host: "dave");
        var bob = Join("  bob ", host: "dave");

        Assert.False(_lobby.Current.FindVisitor(eve.VisitorId)!.Permitted);
        Assert.Equal(("not-permitted-name", "192.0.2.1", "Eve (for dave)"), Assert.Single(_attempts.Reports));
        Assert.Equal(CallRefusal.NotPermitted, _lobby.Call(session.Id, eve.VisitorId).Refusal);
        Assert.True(_lobby.Current.FindVisitor(bob.VisitorId)!.Permitted);
        Assert.Equal(CallRefusal.None, _lobby.Call(session.Id, bob.VisitorId).Refusal);
    }

    [Fact]
    public void ASignalReachesOnlyTheOtherPartyAndIsRewrittenFromKnownFields()
    {
        var (session, call, visitor) = AnsweredCall();
        var hostMessages = new ConcurrentQueue<PartyMessage>();
        var visitorMessages = new ConcurrentQueue<PartyMessage>();
        using var h = _lobby.SubscribeCall(call.Id, session.Id, hostMessages.Enqueue);
        using var v = _lobby.SubscribeCall(call.Id, visitor.VisitorId, visitorMessages.Enqueue);

        Assert.Equal(SignalOutcome.Delivered, _lobby.Signal(call.Id, visitor.VisitorId, "description", """{"type":"offer","sdp":"v=0\r\n","extra":"<script>"}"""));
        Assert.Equal(SignalOutcome.Delivered, _lobby.Signal(call.Id, session.Id, "candidate", """{"candidate":"candidate:1 1 udp 1 127.0.0.1 5000 typ host","sdpMid":"0","sdpMLineIndex":0}"""));

        var toHost = Assert.IsType<SignalMessage>(Assert.Single(hostMessages));
        Assert.Equal("description", toHost.Kind);
        Assert.DoesNotContain("extra", toHost.Payload, StringComparison.Ordinal);
        Assert.Contains("\"type\":\"offer\"", toHost.Payload, StringComparison.Ordinal);
        Assert.Equal("candidate", Assert.IsType<SignalMessage>(Assert.Single(visitorMessages)).Kind);
    }

    [Fact]
    public void SignalsSentBeforeTheOtherSideListensAreReplayedInOrderThenLiveOnes()
    {
        var (session, call, visitor) = AnsweredCall();
        _lobby.Signal(call.Id, visitor.VisitorId, "description", """{"type":"offer","sdp":"v=0"}""");
        _lobby.Signal(call.Id, visitor.VisitorId, "candidate", """{"candidate":"candidate:1 1 udp 1 127.0.0.1 5000 typ host","sdpMid":"0","sdpMLineIndex":0}""");
        _lobby.ReportMedia(call.Id, visitor.VisitorId, true, false, null);

        var received = new List<PartyMessage>();
        using var subscription = _lobby.SubscribeCall(call.Id, session.Id, received.Add);
        _lobby.Signal(call.Id, visitor.VisitorId, "candidate", """{"candidate":"candidate:2 1 udp 1 127.0.0.1 5001 typ host","sdpMid":"0","sdpMLineIndex":0}""");

        Assert.Equal(["description", "candidate", "media", "candidate"], received.Select(m => m is SignalMessage signal ? signal.Kind : "media"));
        using var own = _lobby.SubscribeCall(call.Id, visitor.VisitorId, received.Add);
        Assert.Equal(4, received.Count); // nothing of its own is replayed to the sender
    }

    public static TheoryData<string, string> InvalidSignals => new()
    {
        { "description", "{\"type\":\"offer\",\"sdp\":\"" + new string('a', 64 * 1024 + 1) + "\"}" },
        { "description", "{\"type\":\"pranswer\",\"sdp\":\"v=0\"}" },
        { "description", "{\"type\":\"offer\"}" },
        { "description", "not json" },
        { "description", "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n" + string.Concat(Enumerable.Repeat("m=audio 9 UDP/TLS/RTP/SAVPF 0\\r\\n", 17)) + "\"}" },
        { "description", "[1,2,3]" },
        { "description", "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\nm=audio 9 UDP/TLS/RTP/SAVPF 0\\r\\na=mid:" + new string('x', 33) + "\\r\\n\"}" },
        { "candidate", "{\"candidate\":\"candidate:" + new string('1', 1100) + "\"}" },
        { "candidate", "{\"candidate\":\"a=ice-ufrag:evil\"}" },
        { "candidate", "{\"candidate\":\"candidate:1\",\"sdpMLineIndex\":\"zero\"}" },
        { "bye", "{}" },
    };

    [Theory]
    [MemberData(nameof(InvalidSignals))]
    public void AnInvalidSignalIsDroppedAndReported(string kind, string payload)
    {
        var (session, call, visitor) = AnsweredCall();
        var hostMessages = new ConcurrentQueue<PartyMessage>();
        using var h = _lobby.SubscribeCall(call.Id, session.Id, hostMessages.Enqueue);

        Assert.Equal(SignalOutcome.Invalid, _lobby.Signal(call.Id, visitor.VisitorId, kind, payload));
        Assert.Empty(hostMessages);
    }

    [Fact]
    public void AnSdpUnder64KbIsForwardedWhateverItsEscapingCostsAndFitsWhatThePageTakes()
    {
        var (session, call, visitor) = AnsweredCall();
        var hostMessages = new ConcurrentQueue<PartyMessage>();
        using var h = _lobby.SubscribeCall(call.Id, session.Id, hostMessages.Enqueue);
        var sdp = "v=0\r\n" + string.Concat(Enumerable.Repeat("a=ice-pwd:abc+def/ghi+jkl<mno>pqr&stu\r\n", 1600)); // 64,005 characters
        Assert.InRange(sdp.Length, 60_000, SignalValidator.MaxSdpLength);

        var payload = SignalValidator.DescriptionJson("answer", sdp);

        Assert.Equal(SignalOutcome.Delivered, _lobby.Signal(call.Id, visitor.VisitorId, "description", payload));
        var forwarded = Assert.IsType<SignalMessage>(Assert.Single(hostMessages));
        Assert.Equal(sdp, JsonSerializer.Deserialize<DescriptionPayload>(forwarded.Payload)!.Sdp);
        Assert.DoesNotContain("\\u002B", forwarded.Payload, StringComparison.Ordinal); // only what JSON needs is escaped
        Assert.True(forwarded.Payload.Length <= sdp.Length + (2 * 1601) + 64, $"{forwarded.Payload.Length} characters");
    }

    [Fact]
    public void OnlyThePartiesOfAnAnsweredCallMaySignal()
    {
        var session = _lobby.OpenConsole("alice", Alice.ConsolePath)!;
        var bob = Join("Bob");
        var carol = Join("Carol");
        var (_, call) = _lobby.Call(session.Id, bob.VisitorId);
        const string Offer = """{"type":"offer","sdp":"v=0"}""";

        Assert.Equal(SignalOutcome.NotInCall, _lobby.Signal(call!.Id, bob.VisitorId, "description", Offer)); // still ringing
        Assert.True(_lobby.Answer(bob.VisitorId, call.Id));
        Assert.Equal(SignalOutcome.NotInCall, _lobby.Signal(call.Id, carol.VisitorId, "description", Offer)); // another visitor
        Assert.Equal(SignalOutcome.NotInCall, _lobby.Signal(call.Id, _lobby.OpenConsole("alice", Alice.ConsolePath)!.Id, "description", Offer)); // another console of the same host
        Assert.Equal(SignalOutcome.NotInCall, _lobby.Signal("no-such-call", bob.VisitorId, "description", Offer));
        Assert.Equal(SignalOutcome.Delivered, _lobby.Signal(call.Id, bob.VisitorId, "description", Offer));
    }

    [Fact]
    public void PastMaxWaitingAVisitorIsAnsweredTheSameButNotQueued()
    {
        _settings.Apply(_settings.Current with { Lobby = new LobbyOptions { MaxWaiting = 2, MaxWaitingPerAddress = 2 } });

        Assert.True(Join("A", address: "192.0.2.1").Queued);
        Assert.True(Join("B", address: "192.0.2.2").Queued);
        var third = Join("C", address: "192.0.2.3");

        Assert.False(third.Queued);
        Assert.Null(third.ResumeToken);
        Assert.Equal(2, _lobby.Current.Visitors.Length);
        Assert.Equal(("lobby-full", "192.0.2.3", "C"), Assert.Single(_attempts.Reports));
    }

    [Fact]
    public void PastMaxWaitingPerAddressAVisitorIsNotQueued()
    {
        _settings.Apply(_settings.Current with { Lobby = new LobbyOptions { MaxWaiting = 10, MaxWaitingPerAddress = 2 } });

        Assert.True(Join("A").Queued);
        Assert.True(Join("B").Queued);
        Assert.False(Join("C").Queued);
        Assert.True(Join("D", address: "192.0.2.9").Queued);
        Assert.True(Join("E", address: "2001:db8:1:2::1").Queued);
        Assert.True(Join("F", address: "2001:db8:1:2::2").Queued);
        Assert.False(Join("G", address: "2001:db8:1:2::3").Queued); // the same /64: the same client
        Assert.True(Join("H", address: "2001:db8:1:3::1").Queued);
    }

    [Fact]
    public void ALoopOfRequestAndCancelFromOneAddressIsListedOnlyUpToTheLimitWithinTheWindow()
    {
        _settings.Apply(_settings.Current with { Lobby = new LobbyOptions { MaxRequestsPerAddress = 3, RequestWindow = TimeSpan.FromMinutes(10) } });
        var listed = 0;
        for (var i = 0; i < 5; i++)
        {
            var ticket = Join("Loop");
            if (ticket.Queued)
            {
                listed++;
                Assert.NotNull(_lobby.Resume(ticket.ResumeToken)); // a reload takes the place back and is no request
                _lobby.Leave(ticket.VisitorId);
            }
        }

        Assert.Equal(3, listed);
        Assert.Empty(_lobby.Current.Visitors);
        Assert.Equal([("lobby-full", "192.0.2.1", "Loop"), ("lobby-full", "192.0.2.1", "Loop")], _attempts.Reports);
        Assert.True(Join("Other", address: "192.0.2.2").Queued);
        Assert.True(Join("Same /64", address: "2001:db8:1:2::1").Queued);

        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.True(Join("Loop").Queued);
    }

    [Fact]
    public void AVisitorWhosePageWentAwayKeepsTheirPlaceForTheGraceThenGoes()
    {
        var ticket = Join("Bob");
        var arrived = _lobby.Current.FindVisitor(ticket.VisitorId)!.ArrivedAt;

        _lobby.VisitorGone(ticket.VisitorId);
        Assert.Equal(VisitorStatus.Away, _lobby.Current.FindVisitor(ticket.VisitorId)!.Status);

        _time.Advance(TimeSpan.FromSeconds(30));
        _lobby.Sweep();
        var resumed = _lobby.Resume(ticket.ResumeToken);
        Assert.Equal(ticket.VisitorId, resumed!.VisitorId);
        Assert.Equal((VisitorStatus.Waiting, arrived), (_lobby.Current.FindVisitor(ticket.VisitorId)!.Status, _lobby.Current.FindVisitor(ticket.VisitorId)!.ArrivedAt));

        _lobby.VisitorGone(ticket.VisitorId);
        _time.Advance(new LobbyOptions().ReconnectGrace + TimeSpan.FromSeconds(1));
        _lobby.Sweep();
        Assert.Empty(_lobby.Current.Visitors);
        Assert.Null(_lobby.Resume(ticket.ResumeToken));
    }

    [Fact]
    public void AVisitorWhosePageWentAwayMidCallEndsTheCallForTheHost()
    {
        var (session, call, visitor) = AnsweredCall();
        var (hostMessages, h) = Listen(session.Id);

        _lobby.VisitorGone(visitor.VisitorId);

        Assert.Equal(call.Id, Assert.IsType<CallEndedMessage>(Assert.Single(hostMessages)).CallId);
        Assert.Empty(_lobby.Current.Calls);
        h.Dispose();
    }

    [Fact]
    public void AClosedConsoleEndsItsCall()
    {
        var (session, _, visitor) = AnsweredCall();
        var (visitorMessages, v) = Listen(visitor.VisitorId);

        _lobby.CloseConsole(session.Id);

        Assert.IsType<CallEndedMessage>(Assert.Single(visitorMessages));
        Assert.Equal(VisitorStatus.Waiting, _lobby.Current.FindVisitor(visitor.VisitorId)!.Status);
        v.Dispose();
    }

    [Fact]
    public void AnUnansweredCallIsGivenUpAfterTheRingTimeout()
    {
        var session = _lobby.OpenConsole("alice", Alice.ConsolePath)!;
        var visitor = Join("Bob");
        _lobby.Call(session.Id, visitor.VisitorId);

        _time.Advance(LobbyService.RingTimeout);
        _lobby.Sweep();

        Assert.Empty(_lobby.Current.Calls);
        Assert.Equal(VisitorStatus.Waiting, _lobby.Current.FindVisitor(visitor.VisitorId)!.Status);
    }

    [Fact]
    public async Task TwoHundredParallelJoinsAndLeavesLeaveEverySnapshotConsistentAndEverySubscriberAtTheFinalState()
    {
        _settings.Apply(_settings.Current with { Lobby = new LobbyOptions { MaxWaiting = 10_000, MaxWaitingPerAddress = 10_000 } });
        var subscribers = Enumerable.Range(0, 4).Select(_ => new ConcurrentQueue<LobbySnapshot>()).ToArray();
        var subscriptions = subscribers.Select(queue => _lobby.Subscribe(queue.Enqueue)).ToArray();

        await Parallel.ForEachAsync(Enumerable.Range(0, 200), new ParallelOptions { MaxDegreeOfParallelism = 8 }, (i, _) =>
        {
            var ticket = Join($"Visitor {i}", address: $"198.51.100.{i % 250}");
            Assert.True(ticket.Queued);
            _lobby.Leave(ticket.VisitorId);
            return ValueTask.CompletedTask;
        });

        var final = _lobby.Current;
        Assert.Empty(final.Visitors);
        Assert.Equal(400, final.Version); // one version per join and per leave, none lost
        foreach (var queue in subscribers)
        {
            var seen = queue.ToArray();
            Assert.Equal(final.Version, seen[^1].Version); // nobody misses the final state
            Assert.True(seen.Zip(seen.Skip(1)).All(pair => pair.First.Version < pair.Second.Version)); // never backwards
            Assert.All(seen, snapshot => Assert.Equal(snapshot.Visitors.Length, snapshot.Visitors.Select(v => v.Id).Distinct().Count()));
            Assert.All(seen, snapshot => Assert.True(snapshot.Visitors.Length <= 200));
        }

        foreach (var subscription in subscriptions)
        {
            subscription.Dispose();
        }
    }

    [Fact]
    public void AHostsOwnCountryListNarrowsWhoIsQueuedForThem()
    {
        _settings.Apply(_settings.Current with { Administrators = [Alice with { AllowedCountries = ["DE"] }, Dave] });

        var german = _lobby.Join(new VisitorRequest("Bob", "alice", "192.0.2.2", null) { CountryCode = "DE" });
        var american = _lobby.Join(new VisitorRequest("Carl", "alice", "192.0.2.3", null) { CountryCode = "US" });
        var forDave = _lobby.Join(new VisitorRequest("Dan", "dave", "192.0.2.4", null) { CountryCode = "US" });

        Assert.True(german.Queued);
        Assert.False(american.Queued);
        Assert.True(forDave.Queued);
        var report = Assert.Single(_attempts.Reports, r => r.Kind == "geoblocked");
        Assert.Equal("192.0.2.3", report.Address);
    }

    [Fact]
    public void AConsoleWhosePathIsNoLongerConfiguredIsClosedAndItsCallEnds()
    {
        var (session, call, visitor) = AnsweredCall();
        var (hostMessages, h) = Listen(session.Id);
        var (visitorMessages, v) = Listen(visitor.VisitorId);

        _settings.Apply(_settings.Current with { Administrators = [Alice with { ConsolePath = "/moved-desk-1" }, Dave] });

        Assert.Contains(hostMessages, m => m is ConsoleClosedMessage);
        Assert.Equal(call.Id, Assert.IsType<CallEndedMessage>(Assert.Single(visitorMessages)).CallId);
        Assert.Empty(_lobby.Current.Hosts);
        Assert.Equal(CallRefusal.NotYours, _lobby.Call(session.Id, visitor.VisitorId).Refusal);
        Assert.False(_lobby.Dismiss(session.Id, visitor.VisitorId));
        Assert.Null(_lobby.OpenConsole("alice", Alice.ConsolePath)); // a page loaded before the change
        Assert.NotNull(_lobby.OpenConsole("alice", "/moved-desk-1"));
        h.Dispose();
        v.Dispose();
    }

    [Fact]
    public void ConsolesFollowTheListsAsTheyAreNowAndTheSuperAdministratorInheritsARemovedHostsVisitors()
    {
        var eve = Join("Eve", host: "dave");
        Assert.False(Assert.Single(_lobby.Current.VisibleTo(Dave, _settings.Current.Administrators)).Permitted);

        var daveWithEve = Dave with { PermittedVisitors = ["Bob", "Eve"] };
        _settings.Apply(_settings.Current with { Administrators = [Alice, daveWithEve] });
        Assert.True(Assert.Single(_lobby.Current.VisibleTo(daveWithEve, _settings.Current.Administrators)).Permitted);
        Assert.Equal(CallRefusal.None, _lobby.Call(_lobby.OpenConsole("dave", Dave.ConsolePath)!.Id, eve.VisitorId).Refusal);

        _settings.Apply(_settings.Current with { Administrators = [Alice] });
        var orphan = Assert.Single(_lobby.Current.VisibleTo(Alice, _settings.Current.Administrators));
        Assert.Null(orphan.HostName); // shown as "Unknown administrator", and not callable
    }

    [Fact]
    public void AnOldPageGoingAwayDoesNotEvictTheVisitorWhoResumedOnANewPage()
    {
        var ticket = _lobby.Join(new VisitorRequest("Bob", "alice", "192.0.2.1", null) { Owner = "old-circuit" });

        Assert.NotNull(_lobby.Resume(ticket.ResumeToken, "new-circuit"));
        _lobby.VisitorGone(ticket.VisitorId, "old-circuit"); // the old circuit is evicted after the reload

        Assert.Equal(VisitorStatus.Waiting, _lobby.Current.FindVisitor(ticket.VisitorId)!.Status);
        _lobby.VisitorGone(ticket.VisitorId, "new-circuit");
        Assert.Equal(VisitorStatus.Away, _lobby.Current.FindVisitor(ticket.VisitorId)!.Status);
    }

    [Fact]
    public void ClosingTheTabThatAnsweredEndsTheCallEvenWhenADuplicatedTabHoldsThePlace()
    {
        var session = _lobby.OpenConsole("alice", Alice.ConsolePath)!;
        var ticket = _lobby.Join(new VisitorRequest("Bob", "alice", "192.0.2.1", null) { Owner = "tab-a" });
        var (_, call) = _lobby.Call(session.Id, ticket.VisitorId);
        Assert.True(_lobby.Answer(ticket.VisitorId, call!.Id, "tab-a"));
        _lobby.Resume(ticket.ResumeToken, "tab-b"); // "Duplicate tab" copies sessionStorage

        _lobby.VisitorGone(ticket.VisitorId, "tab-b"); // the duplicate closes: the call goes on
        Assert.Single(_lobby.Current.Calls);
        _lobby.Resume(ticket.ResumeToken, "tab-b");

        _lobby.VisitorGone(ticket.VisitorId, "tab-a"); // the tab in the call closes
        Assert.Empty(_lobby.Current.Calls);
        Assert.Equal(VisitorStatus.Waiting, _lobby.Current.FindVisitor(ticket.VisitorId)!.Status); // tab-b keeps the place
    }

    [Fact]
    public void ADuplicatedTabClosingDuringTheCallLeavesTheCallAndThePlaceToTheTabThatAnswered()
    {
        var session = _lobby.OpenConsole("alice", Alice.ConsolePath)!;
        var ticket = _lobby.Join(new VisitorRequest("Bob", "alice", "192.0.2.1", null) { Owner = "tab-a" });
        var (_, call) = _lobby.Call(session.Id, ticket.VisitorId);
        Assert.True(_lobby.Answer(ticket.VisitorId, call!.Id, "tab-a"));
        Assert.NotNull(_lobby.Resume(ticket.ResumeToken, "tab-b"));

        _lobby.VisitorGone(ticket.VisitorId, "tab-b");
        _time.Advance(new LobbyOptions().ReconnectGrace + TimeSpan.FromSeconds(1));
        _lobby.Sweep();

        Assert.NotEqual(VisitorStatus.Away, _lobby.Current.FindVisitor(ticket.VisitorId)!.Status);
        Assert.Single(_lobby.Current.Calls);
        _lobby.VisitorGone(ticket.VisitorId, "tab-a"); // the place was given back: the answering tab's going counts
        Assert.Empty(_lobby.Current.Calls);
        Assert.Equal(VisitorStatus.Away, _lobby.Current.FindVisitor(ticket.VisitorId)!.Status);
    }

    [Fact]
    public void ATabThatNoLongerHoldsThePlaceGivesNothingAwayWhenItCloses()
    {
        _settings.Apply(_settings.Current with { Lobby = new LobbyOptions { ReconnectGrace = TimeSpan.Zero } });
        var session = _lobby.OpenConsole("alice", Alice.ConsolePath)!;
        var ticket = _lobby.Join(new VisitorRequest("Bob", "alice", "192.0.2.1", null) { Owner = "tab-a" });
        var (_, call) = _lobby.Call(session.Id, ticket.VisitorId);
        Assert.True(_lobby.Answer(ticket.VisitorId, call!.Id, "tab-a"));
        _lobby.Resume(ticket.ResumeToken, "tab-b");
        _lobby.Resume(ticket.ResumeToken, "tab-c"); // a duplicate of the duplicate now holds the place

        _lobby.VisitorGone(ticket.VisitorId, "tab-b");
        _lobby.VisitorGone(ticket.VisitorId, "tab-a"); // the call ends with its tab

        Assert.Empty(_lobby.Current.Calls);
        Assert.Equal(VisitorStatus.Waiting, _lobby.Current.FindVisitor(ticket.VisitorId)!.Status); // tab-c keeps it
    }

    [Fact]
    public void AHostileDescriptionIsRefusedWhateverItsEscapingCostsAndTheCallKeepsLittleForReplay()
    {
        var (session, call, visitor) = AnsweredCall();
        var emoji = SignalValidator.DescriptionJson("offer", "v=0\r\n" + string.Concat(Enumerable.Repeat("\U0001F600", 30_000)));

        Assert.Equal(SignalOutcome.Invalid, _lobby.Signal(call.Id, visitor.VisitorId, "description", emoji));

        var sdp = "v=0\r\n" + new string('a', 60_000);
        for (var i = 0; i < 40; i++)
        {
            Assert.Equal(SignalOutcome.Delivered, _lobby.Signal(call.Id, visitor.VisitorId, "description", SignalValidator.DescriptionJson("offer", sdp)));
        }

        var received = 0;
        using var listening = _lobby.SubscribeCall(call.Id, session.Id, _ => received++);
        var replayed = received;
        Assert.InRange(replayed, 1, LobbyService.MaxCallLogCharacters / 60_000); // bounded by size, not only by count

        Assert.Equal(SignalOutcome.Delivered, _lobby.Signal(call.Id, visitor.VisitorId, "description", SignalValidator.DescriptionJson("offer", sdp)));
        Assert.Equal(replayed + 1, received); // the page listening now gets it live...
        var again = 0;
        using var later = _lobby.SubscribeCall(call.Id, session.Id, _ => again++);
        Assert.Equal(replayed, again); // ...and it is not kept for the length of the call
    }

    [Fact]
    public void MessagesReachAPartyBeforeTheSnapshotThatShowsWhy()
    {
        var (session, call, visitor) = AnsweredCall();
        var order = new List<string>();
        using var messages = _lobby.SubscribeParty(visitor.VisitorId, m => order.Add(m.GetType().Name));
        using var snapshots = _lobby.Subscribe(s => order.Add(s.FindVisitor(visitor.VisitorId) is null ? "gone" : "listed"));
        order.Clear();

        _lobby.HangUp(session.Id, call.Id);

        Assert.Equal(["CallEndedMessage", "gone"], order);
    }

    private sealed class RecordingSink : WebRtcChat.Components.Security.IFailedAttemptSink
    {
        public ConcurrentQueue<(string Kind, string Address, string Detail)> Reports { get; } = new();

        public void Report(string kind, string address, string detail) => Reports.Enqueue((kind, address, detail));
    }
}
