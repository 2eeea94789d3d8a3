using WebRtcChat.Tests.Infrastructure;
using WebRtcChat.Components.Lobby;
using WebRtcChat.Components.Visitors;

namespace WebRtcChat.Tests.Visitors;

public sealed class VisitorPlaceTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly VisitorTicket Ticket = new("v1", "token", Queued: true);
    private static readonly Visitor Bob = new("v1", "Bob", null, "alice", "192.0.2.1", null, null, "Firefox", Now, VisitorStatus.Waiting, null);

    private static LobbySnapshot Snapshot(long version, params Visitor[] visitors) => new(version, [.. visitors], [], [], []);

    private static LobbySnapshot Ringing(long version, CallPhase phase = CallPhase.Ringing) =>
        new(version, [Bob with { CallId = "c1" }], [new CallInfo("c1", "alice", "h1", "v1", "Bob", phase, Now)], [], []);

    [Fact]
    public void ASnapshotFromBeforeThePlaceWasListedIsNoNewsButOneAfterIs()
    {
        var place = new VisitorPlace(VisitorWords.Localizer);
        place.Enter(Ticket, Now);

        Assert.Equal(PlaceEffect.None, place.Observe(Snapshot(1), answeredCallId: null)); // older than the join
        Assert.Equal(VisitorView.Waiting, place.View);
        place.Observe(Snapshot(2, Bob), null);

        Assert.Equal(PlaceEffect.Forget, place.Observe(Snapshot(3), null));
        Assert.Equal((VisitorView.Form, "Your request is no longer in the list. Please request again."), (place.View, place.Notice));
        Assert.Null(place.Ticket);
    }

    [Fact]
    public void ARingingCallAnsweredByAnotherTabSendsThisOneBackToWaiting()
    {
        var place = new VisitorPlace(VisitorWords.Localizer);
        place.Enter(Ticket, Now);
        place.Observe(Ringing(1), null);
        Assert.Equal(VisitorView.Ringing, place.View);

        place.Observe(Ringing(2, CallPhase.Answered), answeredCallId: null);

        Assert.Equal((VisitorView.Waiting, "The call was answered in another tab."), (place.View, place.Notice));
        Assert.Null(place.Call);
    }

    [Fact]
    public void ASubDirectoryMoveDuringACallRetiresThePageOnlyWhenTheCallEnds()
    {
        var place = new VisitorPlace(VisitorWords.Localizer);
        place.Enter(Ticket, Now);
        place.Observe(Ringing(1), null);
        place.Answered();

        Assert.Equal(PlaceEffect.None, place.PathBaseMoved());
        Assert.Equal(VisitorView.InCall, place.View);
        Assert.Equal(PlaceEffect.Retire, place.Receive(new CallEndedMessage("c1", "the host hung up"), stillListed: false));
        Assert.Equal(PlaceEffect.Retire, new VisitorPlace(VisitorWords.Localizer).PathBaseMoved()); // a page not in a call retires at once
    }
}
