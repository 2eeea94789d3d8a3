using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Lobby;
using WebRtcChat.Components.Security;

namespace WebRtcChat.Components.Visitors;

/// <summary>
/// The visitor's side, over the circuit: the form, the waiting view, the ringing, the call and what follows.
/// Its place in the lobby survives a reload through a token kept in <c>sessionStorage</c>.
/// </summary>
public sealed partial class VisitorLobby
{
    private View _view = View.Form;
    private string? _notice;
    private string? _name;
    private VisitorTicket? _ticket;
    private DateTimeOffset _since;
    private CallInfo? _call;
    private string? _callerName;
    private PeerConfiguration? _configuration;
    private IJSObjectReference? _session;
    private IDisposable? _settingsSubscription;
    private bool _retireAfterCall;

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

    private string Elapsed
    {
        get
        {
            var elapsed = Time.GetUtcNow() - _since;
            return elapsed.TotalHours >= 1 ? elapsed.ToString(@"h\:mm\:ss", null) : elapsed.ToString(@"m\:ss", null);
        }
    }

    /// <inheritdoc />
    protected override void OnInitialized()
    {
        _settingsSubscription = Settings.Subscribe(options => Post(() => RetireIfMoved(options)));
        RetireIfMoved(Settings.Current); // it may have moved between serving the page and starting its circuit
    }

    /// <inheritdoc />
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || _view == View.Retired)
        {
            return;
        }

        _session = await JS.InvokeAsync<IJSObjectReference>("import", "./js/visitor-session.js");
        if (IsDisposed)
        {
            await DisposeSessionModuleAsync(); // disposed while the import was in flight
            return;
        }

        var token = _ticket is null ? await _session.InvokeAsync<string?>("load") : null;
        if (_ticket is not null)
        {
            // The form was sent before the page's storage was ready: that request is the place to keep.
            await SaveTokenAsync(_ticket.ResumeToken);
        }
        else if (_view != View.Retired && Lobby.Resume(token, Circuit.Id) is { } ticket)
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
        var ticket = Lobby.Join(new VisitorRequest(request.Name, request.Host, ClientAddress, UserAgent)
        {
            Owner = Circuit.Id,
            CountryCode = Location?.CountryCode,
            Country = Location?.CountryName ?? Location?.CountryCode,
            City = Location?.City,
        });
        Enter(ticket);
        await SaveTokenAsync(ticket.ResumeToken);
    }

    private void Enter(VisitorTicket ticket)
    {
        Stop(); // never two sets of subscriptions
        _ticket = ticket;
        _view = View.Waiting;
        _notice = null;
        _since = Lobby.Current.FindVisitor(ticket.VisitorId)?.ArrivedAt ?? Time.GetUtcNow();
        if (ticket.Queued)
        {
            Circuit.BindVisitor(ticket.VisitorId);
        }

        Follow(ticket.Queued ? ticket.VisitorId : null, OnMessage, OnSnapshot, () => { });
    }

    private void OnSnapshot(LobbySnapshot snapshot)
    {
        if (_ticket is null)
        {
            return;
        }

        if (snapshot.FindVisitor(_ticket.VisitorId) is not { } me)
        {
            if (_view != View.Waiting)
            {
                return;
            }

            // Gone from the list without a word to this page (another tab took the place, or it timed out).
            Stop();
            _view = View.Form;
            _notice = "Your request is no longer in the list. Please request again.";
            return;
        }

        if (me.CallId is null)
        {
            return;
        }

        if (snapshot.FindCall(me.CallId) is not { } call)
        {
            return;
        }

        if (call.Phase == CallPhase.Ringing && _view == View.Waiting)
        {
            _call = call;
            _callerName = call.HostName;
            _view = View.Ringing;
        }
        else if (call.Phase != CallPhase.Ringing && _view == View.Ringing && call.VisitorCircuit != Circuit.Id)
        {
            // Answered in another tab of this visitor's: the call is that tab's. (This tab's own answer publishes
            // its snapshot before the view changes, hence the check of the circuit.)
            _call = null;
            _view = View.Waiting;
            _notice = "The call was answered in another tab.";
        }
    }

    private void OnMessage(PartyMessage message)
    {
        switch (message)
        {
            case DismissedMessage:
                Stop();
                _view = View.Unavailable;
                break;
            case CallEndedMessage ended when ended.CallId == _call?.Id:
                _call = null;
                _configuration = null;
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

    private void AnswerAsync()
    {
        if (_ticket is null || _call is null || !Lobby.Answer(_ticket.VisitorId, _call.Id, Circuit.Id))
        {
            return;
        }

        // Minted now, for this party of this call only; the visitor is the polite peer.
        _configuration = TurnCredentials.ForParty(Settings.Current.Ice, Time.GetUtcNow(), polite: true);
        _view = View.InCall;
    }

    private void Decline()
    {
        if (_ticket is not null && _call is not null)
        {
            Lobby.Decline(_ticket.VisitorId, _call.Id);
        }
    }

    // Cancel while waiting, and Request again after a call or a dismissal: leave the list, back to the form.
    private async Task StartOverAsync()
    {
        if (_ticket is not null)
        {
            Lobby.Leave(_ticket.VisitorId);
        }

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
        if (_ticket is not null)
        {
            Lobby.Leave(_ticket.VisitorId);
        }

        Stop();
        _call = null;
        _view = View.Retired;
        _ = SaveTokenAsync(null);
    }

    // Leaves the lobby's channels; the page stays on whatever view comes next.
    private void Stop()
    {
        StopFollowing();
        Circuit.UnbindVisitor();
        _ticket = null;
    }

    private async Task SaveTokenAsync(string? token)
    {
        try
        {
            if (_session is not null)
            {
                await _session.InvokeVoidAsync("save", token);
            }
        }
        catch (JSDisconnectedException)
        {
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        IsDisposed = true;
        _settingsSubscription?.Dispose();
        StopFollowing();
        await DisposeSessionModuleAsync();
    }

    private async Task DisposeSessionModuleAsync()
    {
        try
        {
            if (_session is not null)
            {
                await _session.DisposeAsync();
                _session = null;
            }
        }
        catch (JSDisconnectedException)
        {
            // the circuit is gone, and the page with it
        }
    }
}
