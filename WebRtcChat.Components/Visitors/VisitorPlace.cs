using Microsoft.Extensions.Localization;
using WebRtcChat.Components.Calls;
using WebRtcChat.Components.Localization;
using WebRtcChat.Components.Lobby;

namespace WebRtcChat.Components.Visitors;

/// <summary>What the visitor's page shows.</summary>
public enum VisitorView
{
    /// <summary>The form (first, after Cancel, or when the place was lost).</summary>
    Form,

    /// <summary>In the list, waiting to be called.</summary>
    Waiting,

    /// <summary>A host is calling.</summary>
    Ringing,

    /// <summary>This tab answered: the call.</summary>
    InCall,

    /// <summary>The call ended and the visitor left the list.</summary>
    Ended,

    /// <summary>The host dismissed the visitor.</summary>
    Unavailable,

    /// <summary>The sub-directory moved: the page offers nothing more.</summary>
    Retired,
}

/// <summary>What the page must do in the lobby after its place changed.</summary>
public enum PlaceEffect
{
    /// <summary>Nothing.</summary>
    None,

    /// <summary>The page no longer stands for the place: it stops hearing of it.</summary>
    Forget,

    /// <summary>The page retires: it leaves the list, stops hearing of it and forgets its token.</summary>
    Retire,
}

/// <summary>
/// The visitor page's place and view, worked out from its ticket, the lobby's snapshots and its messages. It decides
/// and never calls the lobby itself: each step says what the page must do (<see cref="PlaceEffect"/>). Used on the
/// page's circuit only. Its notices are in the page's language, from <paramref name="text"/>.
/// </summary>
public sealed class VisitorPlace(IStringLocalizer<VisitorText> text)
{
    private bool _listed; // seen in the list since this page took the place: only then is its absence news
    private bool _retireAfterCall;

    public VisitorView View { get; private set; } = VisitorView.Form;

    public string? Notice { get; private set; }

    /// <summary>
    /// The host's last line to this visitor while they wait ("Back in 5 minutes"), or the reason they gave with
    /// Dismiss on the unavailable view; null when there is none. Text, never markup.
    /// </summary>
    public string? HostNote { get; private set; }

    /// <summary>The place this page holds, while it holds one.</summary>
    public VisitorTicket? Ticket { get; private set; }

    /// <summary>The call ringing for, or answered by, this page.</summary>
    public CallInfo? Call { get; private set; }

    /// <summary>When the visitor asked, for the waiting clock.</summary>
    public DateTimeOffset Since { get; private set; }

    /// <summary>The page asked for a chat, or took back its place.</summary>
    public void Enter(VisitorTicket ticket, DateTimeOffset since)
    {
        (Ticket, _listed, Since) = (ticket, false, since);
        (View, Notice, HostNote) = (VisitorView.Waiting, null, null); // a place taken back hears its line again from the lobby
    }

    /// <summary>A new snapshot of the lobby; <paramref name="answeredCallId"/> is the call this tab answered, if any.</summary>
    public PlaceEffect Observe(LobbySnapshot snapshot, string? answeredCallId)
    {
        if (Ticket is not { Queued: true } ticket)
        {
            return PlaceEffect.None;
        }

        if (snapshot.FindVisitor(ticket.VisitorId) is not { } me)
        {
            // Gone from the list without a word to this page (another tab took the place, or it timed out).
            return View == VisitorView.Waiting && _listed
                ? Lose(VisitorView.Form, text[VisitorText.NoLongerListed])
                : PlaceEffect.None;
        }

        _listed = true;
        if (me.CallId is not null && snapshot.FindCall(me.CallId) is { } call)
        {
            if (call.Phase == CallPhase.Ringing && View == VisitorView.Waiting)
            {
                (Call, View) = (call, VisitorView.Ringing);
            }
            else if (call.Phase != CallPhase.Ringing && View == VisitorView.Ringing && answeredCallId != call.Id)
            {
                // Answered in another tab of this visitor's: the call is that tab's.
                (Call, View, Notice) = (null, VisitorView.Waiting, text[VisitorText.AnsweredElsewhere]);
            }
        }

        return PlaceEffect.None;
    }

    /// <summary>A message for this visitor; <paramref name="stillListed"/> says whether the place is still in the list.</summary>
    public PlaceEffect Receive(PartyMessage message, bool stillListed)
    {
        switch (message)
        {
            case DismissedMessage dismissed:
                var lost = Lose(VisitorView.Unavailable, null);
                HostNote = dismissed.Reason; // an earlier line ("Back in 5 minutes") would now mislead
                return lost;
            case HostNoteMessage note when Ticket is not null:
                HostNote = note.Text; // replaces the one before
                return PlaceEffect.None;
            case CallEndedMessage ended when ended.CallId == Call?.Id:
                var host = Call.HostName;
                Call = null;
                if (_retireAfterCall)
                {
                    return PlaceEffect.Retire;
                }

                if (Ticket is null || !stillListed)
                {
                    return Lose(VisitorView.Ended, null);
                }

                // Declined, unanswered, cut off on the host's side, or not connected: the place in the list is kept.
                View = VisitorView.Waiting;
                Notice = ended.Failure is { } failure ? CallFailureText.ForVisitor(failure, host, text)
                    : ended.Reason is "declined" or "no answer" ? null : text[VisitorText.Interrupted].Value;
                return PlaceEffect.None;
            default:
                return PlaceEffect.None;
        }
    }

    /// <summary>This tab answered the ringing call.</summary>
    public void Answered() => View = VisitorView.InCall;

    /// <summary>Cancel, or Request again: back to the form, holding nothing.</summary>
    public void StartOver() => (Ticket, Call, View, Notice, HostNote) = (null, null, VisitorView.Form, null, null);

    /// <summary>The sub-directory the page was served under is no longer the configured one.</summary>
    public PlaceEffect PathBaseMoved()
    {
        if (View == VisitorView.Retired)
        {
            return PlaceEffect.None;
        }

        _retireAfterCall = View == VisitorView.InCall; // a call in progress is the host's to end
        return _retireAfterCall ? PlaceEffect.None : PlaceEffect.Retire;
    }

    /// <summary>The page has retired.</summary>
    public void Retired() => (Ticket, Call, View) = (null, null, VisitorView.Retired);

    private PlaceEffect Lose(VisitorView next, string? notice)
    {
        (Ticket, Call, View, Notice, HostNote) = (null, null, next, notice, null);
        return PlaceEffect.Forget;
    }
}
