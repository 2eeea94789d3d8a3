using Microsoft.AspNetCore.Components;
using WebRtcChat.Components.Circuits;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Interop;
using WebRtcChat.Components.Lobby;
using WebRtcChat.Components.Security;

namespace WebRtcChat.Components.Visitors;

/// <summary>
/// The visitor's side, over the circuit: the form, the waiting view, the ringing, the call and what follows.
/// Its place in the lobby survives a reload through a token kept in <c>sessionStorage</c>.
/// </summary>
public sealed partial class VisitorLobby : IAsyncDisposable
{
    private View _view = View.Form;
    private string? _notice;
    private string? _name;
    private VisitorTicket? _ticket;
    private DateTimeOffset _since;
    private CallInfo? _call;
    private VisitorSessionStore? _store;
    private IDisposable? _settingsSubscription;
    private bool _retireAfterCall;
    private bool _listed; // seen in the list since this page took the place: only then is its absence news

    private enum View
    {
        Form,
        Waiting,
        Ringing,
        InCall,
        Ended,
        Unavailable,
        Retired,
    }

    /// <summary>The client's IP address, from the request that served the page.</summary>
    [Parameter, EditorRequired] public required string ClientAddress { get; set; }

    /// <summary>The User-Agent of that request.</summary>
    [Parameter] public string? UserAgent { get; set; }

    /// <summary>Where the client is, when a GeoIP database knows.</summary>
    [Parameter] public ClientLocation? Location { get; set; }

    /// <summary>
    /// The hidden sub-directory the page was served under. When <c>Server.PathBase</c> changes (because it leaked),
    /// the page retires: it leaves the list and offers nothing more, as if it had been reloaded into the 404.
    /// </summary>
    [Parameter] public string? PathBase { get; set; }

    private bool AskForHost => Settings.Current.Administrators.Count > 1;

    private string Elapsed => WaitingTime.Between(_since, Time.GetUtcNow());

    /// <inheritdoc />
    protected override void OnInitialized()
    {
        _settingsSubscription = Settings.Subscribe(options => _ = InvokeAsync(() =>
        {
            RetireIfMoved(options);
            StateHasChanged();
        }));
        RetireIfMoved(Settings.Current); // it may have moved between serving the page and starting its circuit
    }

    /// <inheritdoc />
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || _view == View.Retired)
        {
            return;
        }

        Follow(() => { });
        _store = new VisitorSessionStore(JS);
        if (!await _store.OpenAsync())
        {
            return; // disposed while the import was in flight
        }

        var token = _ticket is null ? await _store.LoadAsync() : null;
        if (_ticket is not null)
        {
            await _store.SaveAsync(_ticket.ResumeToken); // the form was sent before the storage was ready: that request is the place to keep
        }
        else if (_view != View.Retired && Lobby.Resume(token, ClientAddress) is { } ticket)
        {
            Enter(ticket);
            StateHasChanged();
        }
    }

    private async Task RequestAsync((string Name, string? Host) request)
    {
        if (_ticket is not null || _view == View.Retired)
        {
            return; // a second submit before the view changed: one request is enough
        }

        _name = request.Name;
        Enter(Lobby.Join(new VisitorRequest(request.Name, request.Host, ClientAddress, UserAgent)
        {
            CountryCode = Location?.CountryCode,
            Country = Location?.CountryName ?? Location?.CountryCode,
            City = Location?.City,
        }));
        await SaveTokenAsync(_ticket?.ResumeToken);
    }

    private void Enter(VisitorTicket ticket)
    {
        (_ticket, _listed) = (ticket, false);
        (_view, _notice) = (View.Waiting, null);
        _since = Lobby.Current.FindVisitor(ticket.VisitorId)?.ArrivedAt ?? Time.GetUtcNow();
    }

    /// <inheritdoc />
    protected override void OnSnapshot(LobbySnapshot snapshot)
    {
        if (_ticket is not { Queued: true })
        {
            return;
        }

        if (snapshot.FindVisitor(_ticket.VisitorId) is not { } me)
        {
            if (_view == View.Waiting && _listed)
            {
                // Gone from the list without a word to this page (another tab took the place, or it timed out).
                Stop();
                (_view, _notice) = (View.Form, "Your request is no longer in the list. Please request again.");
            }

            return;
        }

        _listed = true;
        if (me.CallId is null || snapshot.FindCall(me.CallId) is not { } call)
        {
            return;
        }

        if (call.Phase == CallPhase.Ringing && _view == View.Waiting)
        {
            (_call, _view) = (call, View.Ringing);
        }
        else if (call.Phase != CallPhase.Ringing && _view == View.Ringing && Lobby.AnsweredCallId != call.Id)
        {
            // Answered in another tab of this visitor's: the call is that tab's.
            (_call, _view, _notice) = (null, View.Waiting, "The call was answered in another tab.");
        }
    }

    /// <inheritdoc />
    protected override void OnMessage(PartyMessage message)
    {
        switch (message)
        {
            case DismissedMessage:
                Stop();
                _view = View.Unavailable;
                break;
            case CallEndedMessage ended when ended.CallId == _call?.Id:
                _call = null;
                if (_retireAfterCall)
                {
                    Retire();
                }
                else if (_ticket is not null && Lobby.Current.FindVisitor(_ticket.VisitorId) is not null)
                {
                    // Declined, unanswered, or cut off on the host's side: the place in the list is kept.
                    _view = View.Waiting;
                    _notice = ended.Reason is "declined" or "no answer" ? null : "The call was interrupted. You are still waiting.";
                }
                else
                {
                    Stop();
                    _view = View.Ended;
                }

                break;
        }
    }

    private void Answer()
    {
        if (_call is not null && Lobby.Answer(_call.Id))
        {
            JoinCall(_call.Id);
            _view = View.InCall;
        }
    }

    private void Decline()
    {
        if (_call is not null)
        {
            Lobby.Decline(_call.Id);
        }
    }

    // Cancel while waiting, and Request again after a call or a dismissal: leave the list, back to the form.
    private async Task StartOverAsync()
    {
        Lobby.Leave();
        Stop();
        _view = View.Form;
        await SaveTokenAsync(null);
    }

    private void RetireIfMoved(WebRtcChatOptions options)
    {
        if (PathBase is null || string.Equals(options.Server.PathBase, PathBase, StringComparison.Ordinal) || _view == View.Retired)
        {
            return;
        }

        if (_view == View.InCall)
        {
            _retireAfterCall = true; // a call in progress is the host's to end
            return;
        }

        Retire();
    }

    private void Retire()
    {
        Lobby.Leave();
        Stop();
        (_call, _view) = (null, View.Retired);
        _ = SaveTokenAsync(null);
    }

    // This page no longer stands for a place; it stays on whatever view comes next.
    private void Stop()
    {
        Lobby.Forget();
        LeaveCall();
        _ticket = null;
    }

    private Task SaveTokenAsync(string? token) => _store?.SaveAsync(token) ?? Task.CompletedTask;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        StopFollowing();
        _settingsSubscription?.Dispose();
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }
}
