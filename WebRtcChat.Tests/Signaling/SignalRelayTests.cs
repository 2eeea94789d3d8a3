using System.Text.Json;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Lobby;
using WebRtcChat.Components.Signaling;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Signaling;

public sealed class SignalRelayTests : IDisposable
{
    private static readonly AdministratorOptions Alice = new() { Name = "alice", ConsolePath = "/desk-alice-1", SuperAdministrator = true };
    private static readonly DescriptionPayload Offer = new("offer", "v=0");
    private readonly LobbyParties _parties = new(new WebRtcChatSettings(new WebRtcChatOptions { Administrators = [Alice] }), new ManualTime());

    public void Dispose() => _parties.Dispose();

    private (global::WebRtcChat.Components.Circuits.LobbyService Host, CallInfo Call, global::WebRtcChat.Components.Circuits.LobbyService Visitor) AnsweredCall()
    {
        var host = _parties.Console("alice", Alice.ConsolePath);
        var (visitor, ticket) = _parties.Join("Bob");
        var call = host.Call(ticket.VisitorId).Call!;
        Assert.True(visitor.Answer(call.Id));
        LobbyParties.Drain(host);
        LobbyParties.Drain(visitor);
        return (host, call, visitor);
    }

    // As the interop reads what a page sends: only the record's fields, the rest dropped; a wrong shape refused.
    private static SignalPayload? FromPage(string kind, string json)
    {
        try
        {
            return kind switch
            {
                "description" => JsonSerializer.Deserialize<DescriptionPayload>(json, JsonSerializerOptions.Web),
                "candidate" => JsonSerializer.Deserialize<CandidatePayload>(json, JsonSerializerOptions.Web),
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static List<SignalMessage> Signals(global::WebRtcChat.Components.Circuits.LobbyService party) => [.. LobbyParties.Drain(party).OfType<SignalMessage>()];

    [Fact]
    public void ASignalReachesOnlyTheOtherPartyAndIsRewrittenFromKnownFields()
    {
        var (host, call, visitor) = AnsweredCall();

        Assert.Equal(SignalOutcome.Delivered, visitor.Signal(call.Id, FromPage("description", """{"type":"offer","sdp":"v=0\r\n","extra":"<script>"}""")));
        Assert.Equal(SignalOutcome.Delivered, host.Signal(call.Id, FromPage("candidate", """{"candidate":"candidate:1 1 udp 1 127.0.0.1 5000 typ host","sdpMid":"0","sdpMLineIndex":0}""")));

        var toHost = Assert.Single(Signals(host));
        Assert.Equal(new DescriptionPayload("offer", "v=0\r\n"), toHost.Payload);
        Assert.DoesNotContain("extra", JsonSerializer.Serialize(toHost.Payload, JsonSerializerOptions.Web), StringComparison.Ordinal);
        Assert.IsType<CandidatePayload>(Assert.Single(Signals(visitor)).Payload);
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
        { "candidate", "{\"candidate\":\"candidate:1\",\"sdpMLineIndex\":65}" },
        { "bye", "{}" },
    };

    [Theory]
    [MemberData(nameof(InvalidSignals))]
    public void AnInvalidSignalIsDroppedAndReported(string kind, string payload)
    {
        var (host, call, visitor) = AnsweredCall();

        Assert.Equal(SignalOutcome.Invalid, visitor.Signal(call.Id, FromPage(kind, payload)));
        Assert.Empty(Signals(host));
    }

    [Fact]
    public void AnSdpUnder64KbIsForwardedWhateverItsEscapingCostsAndFitsWhatThePageTakes()
    {
        var (host, call, visitor) = AnsweredCall();
        var sdp = "v=0\r\n" + string.Concat(Enumerable.Repeat("a=ice-pwd:abc+def/ghi+jkl<mno>pqr&stu\r\n", 1600)); // 64,005 characters
        Assert.InRange(sdp.Length, 60_000, SignalValidator.MaxSdpLength);

        Assert.Equal(SignalOutcome.Delivered, visitor.Signal(call.Id, new DescriptionPayload("answer", sdp)));

        Assert.Equal(sdp, Assert.IsType<DescriptionPayload>(Assert.Single(Signals(host)).Payload).Sdp); // as it was, not escaped
    }

    [Fact]
    public void TheCandidateFieldBoundsKeepEveryAcceptedCandidateWithinOneKilobyte()
    {
        // The README promises 1 KB; the validator checks each field, whose bounds (and the JSON around them) add up to less.
        Assert.True(SignalValidator.MaxCandidateLineLength + SignalValidator.MaxMidLength + SignalValidator.MaxUsernameFragmentLength + 128
            <= SignalValidator.MaxCandidateLength);
    }

    [Fact]
    public void OnlyThePartiesOfAnAnsweredCallMaySignal()
    {
        var host = _parties.Console("alice", Alice.ConsolePath);
        var (bob, bobTicket) = _parties.Join("Bob");
        var (carol, _) = _parties.Join("Carol");
        var call = host.Call(bobTicket.VisitorId).Call!;

        Assert.Equal(SignalOutcome.NotInCall, bob.Signal(call.Id, Offer)); // still ringing
        Assert.True(bob.Answer(call.Id));
        Assert.Equal(SignalOutcome.NotInCall, carol.Signal(call.Id, Offer)); // another visitor
        Assert.Equal(SignalOutcome.NotInCall, _parties.Console("alice", Alice.ConsolePath).Signal(call.Id, Offer)); // another console of the same host
        Assert.Equal(SignalOutcome.NotInCall, bob.Signal("no-such-call", Offer));
        Assert.Equal(SignalOutcome.Delivered, bob.Signal(call.Id, Offer));
    }
}
