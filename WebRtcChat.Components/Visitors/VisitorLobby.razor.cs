using Microsoft.AspNetCore.Components;
using WebRtcChat.Components.Circuits;
using WebRtcChat.Components.Interop;
using WebRtcChat.Components.Localization;
using WebRtcChat.Components.Lobby;
using WebRtcChat.Components.Security;

namespace WebRtcChat.Components.Visitors;

/// <summary>
/// The visitor's side, over the circuit: the form, the waiting view, the ringing, the call and what follows, as
/// <see cref="VisitorPlace"/> decides them. Its place in the lobby survives a reload through a token kept in
/// <c>sessionStorage</c>.
/// </summary>
public sealed partial class VisitorLobby : IAsyncDisposable
{
    private VisitorPlace _place = null!; // made with the page's words as it starts
    private string? _name;
    private VisitorSessionStore? _store;
    private IDisposable? _settingsSubscription;
    private ConnectivityCheck? _check;
    private RingTone? _ring;
    private string? _checked; // the place whose network was checked: once per place
    private string? _cannotCall;

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

    // The words either side of a sentence's one placeholder, so that markup can go in its place in any language.
    private static (string Before, string After) Around(string sentence)
    {
        var at = sentence.IndexOf("{0}", StringComparison.Ordinal);
        return at < 0 ? (sentence, "") : (sentence[..at], sentence[(at + 3)..]);
    }

    /// <inheritdoc />
    protected override void OnInitialized()
    {
        _place = new VisitorPlace(L);
        _settingsSubscription = Settings.Subscribe(options => _ = InvokeAsync(() =>
        {
            RetireIfMoved(options.Server.PathBase);
            StateHasChanged();
        }));
        RetireIfMoved(Settings.Current.Server.PathBase); // it may have moved between serving the page and starting its circuit
    }

    /// <inheritdoc />
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && _place.View != VisitorView.Retired)
        {
            await StartAsync();
        }

        // The ring follows the view, so it stops however the ringing ends: Answer, Decline, the host cancelling, the
        // ring timeout, another tab answering, a dismissal.
        if (_ring is not null && !IsDisposed)
        {
            await _ring.RingAsync(_place.View == VisitorView.Ringing, RingLeft);
        }
    }

    // Until the lobby gives the call up, and a little more, so that the page's own limit only acts when this circuit cannot.
    private TimeSpan RingLeft => _place.Call is { } call
        ? call.StartedAt + global::WebRtcChat.Components.Lobby.Lobby.RingTimeout + TimeSpan.FromSeconds(2) - Time.GetUtcNow()
        : TimeSpan.Zero;

    // Once: follow the lobby, check the browser can call, then take back a kept place.
    private async Task StartAsync()
    {
        Follow();
        _check = new ConnectivityCheck(JS);
        var support = await _check.SupportAsync();
        if (IsDisposed)
        {
            return;
        }

        if (support?.Problem is { } problem)
        {
            _cannotCall = L[problem];
            StateHasChanged();
            return; // a browser that cannot call takes no place, not even a kept one
        }

        _ = OpenRingAsync(); // beside the rest: a page that cannot ring still takes its place
        _store = new VisitorSessionStore(JS);
        if (!await _store.OpenAsync())
        {
            return; // disposed while the import was in flight
        }

        var token = _place.Ticket is null ? await _store.LoadAsync() : null;
        if (_place.Ticket is { } sent)
        {
            await _store.SaveAsync(sent.ResumeToken); // the form was sent before the storage was ready: that request is the place to keep
        }
        else if (_place.View != VisitorView.Retired && Lobby.Resume(token, ClientAddress) is { } ticket)
        {
            Enter(ticket);
            StateHasChanged();
        }
    }

    private async Task OpenRingAsync()
    {
        _ring = new RingTone(JS);
        if (await _ring.OpenAsync(new RingWords(L[VisitorText.RingTitle], L[VisitorText.NotificationTitle], L[VisitorText.NotificationBody])) && !IsDisposed)
        {
            StateHasChanged(); // the "Notify me" button, and a ring for a call that came meanwhile
        }
    }

    // "Notify me when I am called": the only place the page asks for notifications.
    private async Task AskToNotifyAsync()
    {
        if (_ring is not null)
        {
            await _ring.RequestNotificationsAsync();
        }
    }

    private async Task RequestAsync((string Name, string? Host) request)
    {
        if (_place.Ticket is not null || _place.View == VisitorView.Retired || _cannotCall is not null)
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
        await SaveTokenAsync(_place.Ticket?.ResumeToken);
    }

    private void Enter(VisitorTicket ticket)
    {
        _place.Enter(ticket, Lobby.Current.FindVisitor(ticket.VisitorId)?.ArrivedAt ?? Time.GetUtcNow());
        _ = CheckConnectivityAsync();
    }

    // The connection doctor, quietly: what this browser's network lets through, for the host's row before any call.
    private async Task CheckConnectivityAsync()
    {
        if (_place.Ticket is not { Queued: true } ticket || _checked == ticket.VisitorId || Lobby.CheckConfiguration() is not { } configuration)
        {
            return;
        }

        _checked = ticket.VisitorId;
        _check ??= new ConnectivityCheck(JS);
        if (await _check.RunAsync(configuration) is { } report && !IsDisposed && Lobby.VisitorId == ticket.VisitorId)
        {
            Lobby.ReportConnectivity(report);
        }
    }

    /// <inheritdoc />
    protected override void OnSnapshot(LobbySnapshot snapshot) => Apply(_place.Observe(snapshot, Lobby.AnsweredCallId));

    /// <inheritdoc />
    protected override void OnMessage(PartyMessage message) =>
        Apply(_place.Receive(message, _place.Ticket is { } ticket && Lobby.Current.FindVisitor(ticket.VisitorId) is not null));

    private void Answer()
    {
        if (_place.Call is { } call && Lobby.Answer(call.Id))
        {
            JoinCall(call.Id);
            _place.Answered();
        }
    }

    private void Decline()
    {
        if (_place.Call is { } call)
        {
            Lobby.Decline(call.Id);
        }
    }

    // Cancel while waiting, and Request again after a call or a dismissal: leave the list, back to the form.
    private async Task StartOverAsync()
    {
        Lobby.Leave();
        LeaveCall();
        _place.StartOver();
        await SaveTokenAsync(null);
    }

    private void RetireIfMoved(string pathBase)
    {
        if (PathBase is not null && !string.Equals(pathBase, PathBase, StringComparison.Ordinal))
        {
            Apply(_place.PathBaseMoved());
        }
    }

    private void Apply(PlaceEffect effect)
    {
        if (effect == PlaceEffect.None)
        {
            return;
        }

        if (effect == PlaceEffect.Retire)
        {
            Lobby.Leave();
            _place.Retired();
            _ = SaveTokenAsync(null);
        }

        Lobby.Forget(); // this page no longer stands for a place
        LeaveCall();
    }

    private Task SaveTokenAsync(string? token) => _store?.SaveAsync(token) ?? Task.CompletedTask;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        StopFollowing();
        _settingsSubscription?.Dispose();
        if (_check is not null)
        {
            await _check.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        if (_ring is not null)
        {
            await _ring.DisposeAsync();
        }
    }
}
