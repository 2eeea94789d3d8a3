using WebRtcChat.Components.Circuits;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Lobby;
using WebRtcChat.Tests.Infrastructure;
using LobbyType = WebRtcChat.Components.Lobby.Lobby;

namespace WebRtcChat.Tests.Lobby;

/// <summary>The words a host sends a waiting visitor before any call: a line, and the reason given with Dismiss.</summary>
public sealed class HostNoteTests : IDisposable
{
    private static readonly AdministratorOptions Alice = new() { Name = "alice", ConsolePath = "/desk-alice-1", SuperAdministrator = true };
    private static readonly AdministratorOptions Dave = new() { Name = "dave", ConsolePath = "/desk-dave-12", PermittedVisitors = ["Bob"] };

    private readonly ManualTime _time = new();
    private readonly RecordingLogger<LobbyType> _log = new();
    private readonly LobbyParties _parties;

    public HostNoteTests() =>
        _parties = new LobbyParties(new WebRtcChatSettings(new WebRtcChatOptions { Administrators = [Alice, Dave] }), _time, logger: _log);

    public void Dispose() => _parties.Dispose();

    private LobbyType Lobby => _parties.Lobby;

    private static List<HostNoteMessage> Notes(LobbyService circuit) => [.. LobbyParties.Messages(circuit).OfType<HostNoteMessage>()];

    [Fact]
    public void ALineReachesOnlyTheVisitorItWasSentTo()
    {
        var alice = _parties.Console("alice", Alice.ConsolePath);
        var (bob, bobTicket) = _parties.Join("Bob");
        var (carol, _) = _parties.Join("Carol");
        var (daveVisitor, _) = _parties.Join("Dan", host: "dave");
        LobbyParties.Drain(bob);

        Assert.Equal(NoteOutcome.Sent, alice.SendNote(bobTicket.VisitorId, "Back in 5 minutes"));

        Assert.Equal("Back in 5 minutes", Assert.Single(Notes(bob)).Text);
        Assert.Empty(Notes(carol));
        Assert.Empty(Notes(daveVisitor));
        Assert.Empty(Notes(alice));
    }

    [Fact]
    public void EveryTabOfTheVisitorShowsTheLineAndAReloadedPageShowsTheLastOneAgain()
    {
        var alice = _parties.Console("alice", Alice.ConsolePath);
        var (first, ticket) = _parties.Join("Bob");
        var (second, _) = _parties.Resume(ticket.ResumeToken); // a duplicated tab
        alice.SendNote(ticket.VisitorId, "Back in 5 minutes");
        alice.SendNote(ticket.VisitorId, "Back in 10 minutes, sorry");
        Assert.Equal(["Back in 5 minutes", "Back in 10 minutes, sorry"], Notes(first).Select(n => n.Text));
        Assert.Equal(["Back in 5 minutes", "Back in 10 minutes, sorry"], Notes(second).Select(n => n.Text));

        var (reloaded, _) = _parties.Resume(ticket.ResumeToken);

        Assert.Equal("Back in 10 minutes, sorry", Assert.Single(Notes(reloaded)).Text);
    }

    [Fact]
    public void AHostCannotMessageOrDismissAnotherHostsVisitor()
    {
        var dave = _parties.Console("dave", Dave.ConsolePath);
        var (bob, ticket) = _parties.Join("Bob", host: "alice");
        LobbyParties.Drain(bob);

        Assert.Equal(NoteOutcome.NotYours, dave.SendNote(ticket.VisitorId, "Hello"));
        Assert.False(dave.Dismiss(ticket.VisitorId, "Go away"));

        Assert.Empty(LobbyParties.Messages(bob));
        Assert.NotNull(Lobby.Current.FindVisitor(ticket.VisitorId));
        Assert.Equal(NoteOutcome.NotYours, _parties.Circuit().SendNote(ticket.VisitorId, "Hello")); // a page that is no console
    }

    [Fact]
    public void TheSuperAdministratorMayWriteToAVisitorOfNobodyKnownAndAHostToOneNotOnTheirList()
    {
        var alice = _parties.Console("alice", Alice.ConsolePath);
        var dave = _parties.Console("dave", Dave.ConsolePath);
        var (eve, eveTicket) = _parties.Join("Eve", host: "mallory");
        var (carol, carolTicket) = _parties.Join("Carol", host: "dave"); // not on dave's list: listed, not callable

        Assert.Equal(NoteOutcome.Sent, alice.SendNote(eveTicket.VisitorId, "Nobody of that name works here."));
        Assert.Equal(NoteOutcome.NotYours, dave.SendNote(eveTicket.VisitorId, "Hello"));
        Assert.Equal(NoteOutcome.Sent, dave.SendNote(carolTicket.VisitorId, "I only take calls by appointment."));

        Assert.Equal("Nobody of that name works here.", Assert.Single(Notes(eve)).Text);
        Assert.Equal("I only take calls by appointment.", Assert.Single(Notes(carol)).Text);
    }

    [Theory]
    [InlineData("  Back   in\n5\tminutes  ", "Back in 5 minutes")]           // one line, white space collapsed
    [InlineData("<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>")] // kept as typed; Razor escapes it
    [InlineData("Back\u200B in 5", "Back in 5")]                              // a zero-width space goes
    [InlineData("Cafe\u0301 at 5", "Café at 5")]                              // NFC
    [InlineData("Back soon 👩\u200D💻", "Back soon 👩\u200D💻")]                 // an emoji's joiner stays
    public void ALineIsCleanedToOneVisibleLine(string typed, string sent)
    {
        var alice = _parties.Console("alice", Alice.ConsolePath);
        var (bob, ticket) = _parties.Join("Bob");

        Assert.Equal(NoteOutcome.Sent, alice.SendNote(ticket.VisitorId, typed));

        Assert.Equal(sent, Assert.Single(Notes(bob)).Text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n ")]
    [InlineData("\u200B\u200D")]            // shows nothing
    [InlineData("Back\u0000 soon")]         // a control character
    [InlineData("Back \u001B[2J soon")]     // a terminal escape
    [InlineData("\u202Eevil.exe")]          // a right-to-left override
    [InlineData("a\u2066b")]                // a left-to-right isolate
    [InlineData("a\u200Fb")]                // a right-to-left mark
    [InlineData("\uE000 private")]          // private use
    public void AHostileOrEmptyLineIsRefusedAndReachesNobody(string typed)
    {
        var alice = _parties.Console("alice", Alice.ConsolePath);
        var (bob, ticket) = _parties.Join("Bob");
        LobbyParties.Drain(bob);

        Assert.Equal(NoteOutcome.Invalid, alice.SendNote(ticket.VisitorId, typed));

        Assert.Empty(LobbyParties.Messages(bob));
        Assert.False(HostNotes.TryNormalize(typed, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void ALineWithALoneSurrogateIsRefused() // not in a theory's data, which would replace it with U+FFFD
    {
        var alice = _parties.Console("alice", Alice.ConsolePath);
        var (_, ticket) = _parties.Join("Bob");

        Assert.Equal(NoteOutcome.Invalid, alice.SendNote(ticket.VisitorId, "Back \uD800 soon"));
        Assert.Equal(NoteOutcome.Invalid, alice.SendNote(ticket.VisitorId, "Back \uDC00"));
    }

    [Fact]
    public void TwoHundredCharactersAreAcceptedAndLongerLinesAreRefusedWhatEverTheirSize()
    {
        var alice = _parties.Console("alice", Alice.ConsolePath);
        var (bob, ticket) = _parties.Join("Bob");
        LobbyParties.Drain(bob);

        Assert.Equal(NoteOutcome.Invalid, alice.SendNote(ticket.VisitorId, new string('a', HostNotes.MaxLength + 1)));
        Assert.Equal(NoteOutcome.Invalid, alice.SendNote(ticket.VisitorId, string.Concat(Enumerable.Repeat("😀", HostNotes.MaxLength + 1))));
        Assert.Equal(NoteOutcome.Invalid, alice.SendNote(ticket.VisitorId, new string('a', 1_000_000)));
        Assert.Empty(LobbyParties.Messages(bob));

        Assert.Equal(NoteOutcome.Sent, alice.SendNote(ticket.VisitorId, string.Concat(Enumerable.Repeat("😀", HostNotes.MaxLength)))); // 400 UTF-16 units
        Assert.Equal(HostNotes.MaxLength, Assert.Single(Notes(bob)).Text.EnumerateRunes().Count());
        Assert.False(HostNotes.TryNormalize(new string('a', 201), out _, out var error));
        Assert.Equal("Please keep it to 200 characters.", error);
    }

    [Fact]
    public void AHostsLinesToOneVisitorAreLimitedPerMinuteAndOthersAreNotHeldBack()
    {
        var alice = _parties.Console("alice", Alice.ConsolePath);
        var (bob, bobTicket) = _parties.Join("Bob");
        var (carol, carolTicket) = _parties.Join("Carol");
        for (var i = 0; i < HostNotes.MaxPerWindow; i++)
        {
            Assert.Equal(NoteOutcome.Sent, alice.SendNote(bobTicket.VisitorId, $"Line {i}"));
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(NoteOutcome.TooSoon, alice.SendNote(bobTicket.VisitorId, "One more"));
        Assert.Equal(NoteOutcome.Sent, alice.SendNote(carolTicket.VisitorId, "Hello Carol"));
        Assert.Equal(HostNotes.MaxPerWindow, Notes(bob).Count);
        Assert.Single(Notes(carol));

        _time.Advance(HostNotes.Window - TimeSpan.FromSeconds(HostNotes.MaxPerWindow)); // the first line is a minute old, the second not quite
        Assert.Equal(NoteOutcome.Sent, alice.SendNote(bobTicket.VisitorId, "One more"));
        Assert.Equal(NoteOutcome.TooSoon, alice.SendNote(bobTicket.VisitorId, "And another"));
    }

    [Fact]
    public void ADismissReasonArrivesWithTheDismissalAndABlankOneIsNone()
    {
        var alice = _parties.Console("alice", Alice.ConsolePath);
        var (bob, bobTicket) = _parties.Join("Bob");
        var (carol, carolTicket) = _parties.Join("Carol");
        LobbyParties.Drain(bob);
        LobbyParties.Drain(carol);

        Assert.True(alice.Dismiss(bobTicket.VisitorId, "  Sorry,\nnot today. "));
        Assert.True(alice.Dismiss(carolTicket.VisitorId, "  "));

        Assert.Equal("Sorry, not today.", Assert.IsType<DismissedMessage>(Assert.Single(LobbyParties.Messages(bob))).Reason);
        Assert.Null(Assert.IsType<DismissedMessage>(Assert.Single(LobbyParties.Messages(carol))).Reason);
        Assert.Empty(Lobby.Current.Visitors);
    }

    [Fact]
    public void ADismissalWithAReasonThatCannotBeUsedIsRefusedAndTheVisitorWaitsOn()
    {
        var alice = _parties.Console("alice", Alice.ConsolePath);
        var (bob, ticket) = _parties.Join("Bob");
        LobbyParties.Drain(bob);

        Assert.False(alice.Dismiss(ticket.VisitorId, "\u202Eyadot ton"));
        Assert.False(alice.Dismiss(ticket.VisitorId, new string('x', HostNotes.MaxLength + 1)));

        Assert.Empty(LobbyParties.Messages(bob));
        Assert.Equal(VisitorStatus.Waiting, Lobby.Current.FindVisitor(ticket.VisitorId)!.Status);
    }

    [Fact]
    public void ARingingVisitorWhoIsDismissedHearsTheCallEndThenTheReason()
    {
        var alice = _parties.Console("alice", Alice.ConsolePath);
        var (bob, ticket) = _parties.Join("Bob");
        alice.SendNote(ticket.VisitorId, "Calling you now");
        var call = alice.Call(ticket.VisitorId).Call!;
        LobbyParties.Drain(bob);

        Assert.True(alice.Dismiss(ticket.VisitorId, "Sorry, something came up"));

        var messages = LobbyParties.Messages(bob);
        Assert.Equal(call.Id, Assert.IsType<CallEndedMessage>(messages[0]).CallId); // the call it rang for ends first
        Assert.Equal("Sorry, something came up", Assert.IsType<DismissedMessage>(messages[1]).Reason);
        Assert.Null(_parties.Resume(ticket.ResumeToken).Ticket);
    }

    [Fact]
    public void TheWordsNeverReachTheLogAboveDebug()
    {
        var alice = _parties.Console("alice", Alice.ConsolePath);
        var (_, bob) = _parties.Join("Bob");
        var (_, carol) = _parties.Join("Carol");

        alice.SendNote(bob.VisitorId, "My number is 555-0199");
        alice.Dismiss(carol.VisitorId, "Call me on 555-0142");
        alice.Dismiss(bob.VisitorId);

        Assert.NotEmpty(_log.Entries); // the lobby does log: just not the words
        Assert.DoesNotContain(_log.Entries, e => e.Message.Contains("555-01", StringComparison.Ordinal));
        Assert.All(_log.Entries.Where(e => e.Message.Contains("line", StringComparison.Ordinal) || e.Message.Contains("reason", StringComparison.Ordinal)),
            e => Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Debug, e.Level));
    }
}
