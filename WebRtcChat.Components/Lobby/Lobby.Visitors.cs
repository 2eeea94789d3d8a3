using Microsoft.Extensions.Logging;
using WebRtcChat.Components.Circuits;
using WebRtcChat.Components.Security;

using WebRtcChat.Components.Signaling;

namespace WebRtcChat.Components.Lobby;

/// <summary>The waiting room's side of the lobby: visitors join, resume, leave and go away.</summary>
public sealed partial class Lobby
{
    /// <summary>
    /// Puts a visitor in the list for the page of <paramref name="page"/>, unless a bound is reached or the host's own
    /// country list excludes them; the visitor sees the same waiting page either way. Unknown hosts, names not on the
    /// host's list, full lobbies and narrowed-out countries are reported as failed attempts (none is a strike).
    /// </summary>
    public VisitorTicket Join(VisitorRequest request, LobbyInbox page)
    {
        var options = _settings.Current;
        var decision = Admission.Decide(options, request);
        var id = NewId();
        var ticket = Change(change =>
        {
            if (decision.Attempt is { } attempt)
            {
                change.Report(attempt.Kind, request.Address, attempt.Detail);
            }

            if (!decision.MayQueue)
            {
                return new VisitorTicket(id, null, Queued: false);
            }

            var visitor = new Visitor(id, request.Name, request.RequestedHost, decision.Host?.Name, request.Address,
                request.Country, request.City, BrowserSummary.Describe(request.UserAgent), _time.GetUtcNow(), VisitorStatus.Waiting, null);
            if (_room.TryAdd(visitor, page, options.Lobby, _time.GetUtcNow(), NewId) is not { } token)
            {
                change.Report(AttemptKinds.LobbyFull, request.Address, request.Name);
                return new VisitorTicket(id, null, Queued: false);
            }

            _inboxes.Follow(id, page);
            change.Changed = true;
            return new VisitorTicket(id, token, Queued: true);
        });
        if (ticket.Queued)
        {
            _logger.LogInformation("Visitor {VisitorId} from {Address} is waiting{Unknown}", id, request.Address, decision.Host is null ? " (for an unknown administrator)" : "");
        }

        return ticket;
    }

    /// <summary>
    /// A reloaded visitor page takes back its place with the token it kept; null when the place is gone. The place
    /// then belongs to <paramref name="page"/>, so the old page's circuit ending later loses nothing.
    /// </summary>
    public VisitorTicket? Resume(string? resumeToken, LobbyInbox page)
    {
        if (string.IsNullOrEmpty(resumeToken) || resumeToken.Length > 64)
        {
            return null;
        }

        return Change(change =>
        {
            if (_room.ByToken(resumeToken) is not { } visitor)
            {
                return null;
            }

            _room.Return(visitor.Id);
            change.Changed = true; // the place changed hands: the new page sees itself listed, and so knows it when it is not

            _room.GiveTo(visitor.Id, page);
            _inboxes.Follow(visitor.Id, page);
            if (_notes.TryGetValue(visitor.Id, out var note))
            {
                change.Send(visitor.Id, new HostNoteMessage(note)); // the reloaded page shows the host's line again
            }

            return new VisitorTicket(visitor.Id, resumeToken, Queued: true);
        });
    }

    /// <summary>The visitor pressed Cancel, or asked again after a call: they leave the list at once.</summary>
    /// <summary>
    /// Whether the visitor's page may run its connectivity check now, with credentials of its own: once per place
    /// every <see cref="TurnCredentials.CheckLifetime"/>, however often the page is reloaded, and not once reported.
    /// </summary>
    public bool TryStartCheck(string visitorId) => Change(_ =>
    {
        var now = _time.GetUtcNow();
        if (_room.Find(visitorId) is not { Reach: VisitorReach.Unknown }
            || (_checksStarted.TryGetValue(visitorId, out var started) && now - started < TurnCredentials.CheckLifetime))
        {
            return false;
        }

        _checksStarted[visitorId] = now;
        return true;
    });

    /// <summary>What the visitor's page found of its network before any call, for the console's row: one report per place.</summary>
    public bool ReportReach(string visitorId, VisitorReach reach) => Change(change =>
    {
        if (_room.Find(visitorId) is not { Reach: VisitorReach.Unknown } visitor || reach == VisitorReach.Unknown)
        {
            return false;
        }

        _room.Update(visitor with { Reach = reach });
        return change.Changed = true;
    });

    public void Leave(string visitorId) => Change(change => RemoveVisitor(visitorId, "the visitor left", change));

    /// <summary>
    /// The visitor's page (that of <paramref name="page"/>) went away. A call it was in ends at once; the place is kept
    /// for <c>Lobby.ReconnectGrace</c> in case the page comes back, unless another page holds it now.
    /// </summary>
    public void VisitorGone(string visitorId, LobbyInbox page) => Change(change =>
    {
        _inboxes.Unfollow(visitorId, page);
        if (_room.Find(visitorId) is not { } visitor)
        {
            return;
        }

        // The call ends if this page was in it (a duplicated tab shares the place but not the call).
        if (visitor.CallId is { } callId && IsInCall(callId, page))
        {
            EndCall(callId, "the visitor left", change);
            visitor = _room.Find(visitorId)!;
        }

        if (visitor.CallId is { } ongoing && _calls.AnsweredBy(ongoing) is { } answering && answering != page && _room.OwnerOf(visitorId) == page)
        {
            // The duplicated tab holding the place went while the tab that answered is in the call: the place is
            // that tab's again. (A tab that no longer held the place gives nothing away.)
            _room.GiveTo(visitorId, answering);
        }

        if (_room.OwnerOf(visitorId) != page)
        {
            return; // another page has taken this place since: it keeps it
        }

        var grace = _settings.Current.Lobby.ReconnectGrace;
        if (grace <= TimeSpan.Zero)
        {
            RemoveVisitor(visitorId, "the visitor left", change);
        }
        else
        {
            _room.MarkAway(visitorId, _time.GetUtcNow() + grace);
            change.Changed = true;
        }
    });

    private void RemoveVisitor(string visitorId, string? reason, LobbyChange change)
    {
        if (_room.Remove(visitorId) is not { } visitor)
        {
            return;
        }

        _checksStarted.Remove(visitorId);
        _notes.Remove(visitorId);
        _noteRate.Remove(visitorId);

        if (visitor.CallId is { } callId)
        {
            EndCall(callId, reason ?? "the visitor left", change);
        }

        change.Changed = true;
        change.Gone.Add(visitorId);
    }
}
