using WebRtcChat.Components.Circuits;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Lobby;
using WebRtcChat.Components.Signaling;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Circuits;

public sealed class CallSignalsTests : IDisposable
{
    private static readonly AdministratorOptions Alice = new() { Name = "alice", ConsolePath = "/desk-alice-1", SuperAdministrator = true };
    private static readonly CandidatePayload Candidate = new("candidate:1 1 udp 1 127.0.0.1 5000 typ host", "0", 0, null);
    private readonly LobbyParties _parties = new(new WebRtcChatSettings(new WebRtcChatOptions { Administrators = [Alice] }), new ManualTime());
    private readonly LobbyService _host;
    private readonly LobbyService _visitor;
    private readonly CallInfo _call;

    public CallSignalsTests()
    {
        _host = _parties.Console("alice", Alice.ConsolePath);
        var (tab, ticket) = _parties.Join("Bob");
        _visitor = tab;
        _call = _host.Call(ticket.VisitorId).Call!;
        Assert.True(_visitor.Answer(_call.Id));
        LobbyParties.Drain(_host);
        LobbyParties.Drain(_visitor);
    }

    public void Dispose() => _parties.Dispose();

    // What the host page's inbox loop does with its call's messages.
    private CallSignals HostPageSignals()
    {
        var signals = new CallSignals(_call.Id);
        foreach (var message in LobbyParties.Drain(_host).OfType<CallMessage>())
        {
            signals.Add(message);
        }

        return signals;
    }

    [Fact]
    public void SignalsSentBeforeTheOtherSideListensAreReplayedInOrderThenLiveOnes()
    {
        _visitor.Signal(_call.Id, new DescriptionPayload("offer", "v=0"));
        _visitor.Signal(_call.Id, Candidate);
        _visitor.ReportMedia(_call.Id, true, false, null);
        var signals = HostPageSignals();
        var received = new List<string>();

        signals.Attach(message =>
        {
            received.Add(message is SignalMessage { Payload: var payload } ? payload.GetType().Name : "media");
            return Task.CompletedTask;
        });
        _visitor.Signal(_call.Id, Candidate with { Candidate = "candidate:2 1 udp 1 127.0.0.1 5001 typ host" });
        foreach (var message in LobbyParties.Drain(_host).OfType<CallMessage>())
        {
            signals.Add(message);
        }

        Assert.Equal(["DescriptionPayload", "CandidatePayload", "media", "CandidatePayload"], received);
        Assert.Empty(LobbyParties.Drain(_visitor).OfType<CallMessage>()); // nothing of its own comes back to the sender
    }

    [Fact]
    public void AHostileDescriptionIsRefusedWhateverItsEscapingCostsAndTheCallKeepsLittleForReplay()
    {
        var emoji = new DescriptionPayload("offer", "v=0\r\n" + string.Concat(Enumerable.Repeat("\U0001F600", 30_000)));
        Assert.Equal(SignalOutcome.Invalid, _visitor.Signal(_call.Id, emoji));

        var sdp = "v=0\r\n" + new string('a', 60_000);
        for (var i = 0; i < 40; i++)
        {
            Assert.Equal(SignalOutcome.Delivered, _visitor.Signal(_call.Id, new DescriptionPayload("offer", sdp)));
        }

        var signals = HostPageSignals();
        Assert.InRange(signals.HeldCount, 1, CallSignals.MaxHeldCharacters / 60_000); // bounded by size, not only by count
        var received = 0;
        signals.Attach(_ => { received++; return Task.CompletedTask; });
        var replayed = received;
        Assert.Equal(0, signals.HeldCount);

        signals.Add(new SignalMessage(_call.Id, new DescriptionPayload("offer", sdp)));
        Assert.Equal(replayed + 1, received); // the page listening now gets it live...
        Assert.Equal(0, signals.HeldCount); // ...and it is not kept for the length of the call
    }

    [Fact]
    public void AMessageOfAnotherCallIsNotHeld()
    {
        var signals = new CallSignals(_call.Id);

        signals.Add(new SignalMessage("another-call", Candidate));

        Assert.Equal(0, signals.HeldCount);
    }
}
