using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.JSInterop;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Lobby;

namespace WebRtcChat.Components.Consoles;

/// <summary>
/// One administrator's console: the live list of visitors waiting for them, the alerts, and the call. It opens a
/// console session in the lobby after the first render, follows lobby snapshots through <c>InvokeAsync</c>, and
/// closes the session when the circuit or the component goes away.
/// </summary>
public sealed partial class HostConsole
{
    private IReadOnlyList<Visitor> _visitors = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private HostSession? _session;
    private CallInfo? _call;
    private PeerConfiguration? _configuration;
    private string? _notice;
    private bool _closed;
    private DateTimeOffset _now;
    private IJSObjectReference? _alertsModule;
    private IJSObjectReference? _alertsHandle;
    private AlertPreferences _alerts = new(true, true, false, "default");

    private enum AlertKind
    {
        Chime,
        Title,
        Notification,
    }

    /// <summary>The host's IP address, from the request that served the page.</summary>
    [Parameter, EditorRequired] public required string ClientAddress { get; set; }

    /// <summary>The console path the page was served at (kept server-side, in the protected component state).</summary>
    [Parameter, EditorRequired] public required string ConsolePath { get; set; }

    /// <summary>The administrator whose console this is (the page matched their secret path).</summary>
    [Parameter, EditorRequired] public required string AdministratorName { get; set; }

    private bool IsSuperAdministrator =>
        Settings.Current.Administrators.FirstOrDefault(a => a.Name == AdministratorName) is { SuperAdministrator: true };

    /// <inheritdoc />
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        _now = Time.GetUtcNow();
        _session = Lobby.OpenConsole(AdministratorName, ConsolePath);
        if (_session is null)
        {
            Close();
            StateHasChanged();
            return;
        }

        Circuit.BindHost(_session.Id);
        Follow(_session.Id, OnMessage, OnSnapshot, () => _now = Time.GetUtcNow());

        try
        {
            _alertsModule = await JS.InvokeAsync<IJSObjectReference>("import", "./js/host-alerts.js");
            if (IsDisposed)
            {
                await _alertsModule.DisposeAsync(); // disposed while the import was in flight
                return;
            }

            _alertsHandle = await _alertsModule.InvokeAsync<IJSObjectReference>("init");
            _alerts = await _alertsHandle.InvokeAsync<AlertPreferences>("preferences");
            await _alertsHandle.InvokeVoidAsync("update", _visitors.Count, 0);
            StateHasChanged();
        }
        catch (JSDisconnectedException)
        {
        }
    }

    private void OnSnapshot(LobbySnapshot snapshot)
    {
        if (_closed)
        {
            return;
        }

        var host = Settings.Current.Administrators.FirstOrDefault(a => a.Name == AdministratorName);
        if (host is null || _session is null)
        {
            _visitors = [];
            return;
        }

        _visitors = [.. snapshot.VisibleTo(host, Settings.Current.Administrators)];
        var call = snapshot.Calls.FirstOrDefault(c => c.HostSessionId == _session.Id);
        if (call is { Phase: CallPhase.Answered } && _configuration is null)
        {
            // Minted now, for this party of this call only; the host is the impolite peer.
            _configuration = TurnCredentials.ForParty(Settings.Current.Ice, Time.GetUtcNow(), polite: false);
        }

        _call = call;
        var arrivals = _visitors.Count(v => _seen.Add(v.Id));
        _seen.IntersectWith(_visitors.Select(v => v.Id)); // only those still listed: bounded by the lobby
        _ = UpdateAlertsAsync(_visitors.Count(v => v.Status == VisitorStatus.Waiting), arrivals);
    }

    // The console's path changed or its host was removed: show nothing more, listen to nothing more.
    private void Close()
    {
        _closed = true;
        StopFollowing();
        _session = null;
        _visitors = [];
        _call = null;
        _configuration = null;
        _ = UpdateAlertsAsync(0, 0);
    }

    private void OnMessage(PartyMessage message)
    {
        if (message is ConsoleClosedMessage)
        {
            Close();
            return;
        }

        if (message is CallEndedMessage ended)
        {
            _notice = $"Call ended: {ended.Reason}.";
            _call = null;
            _configuration = null;
        }
    }

    private void CallAsync(Visitor visitor)
    {
        if (_session is null)
        {
            return;
        }

        var (refusal, call) = Lobby.Call(_session.Id, visitor.Id);
        _notice = refusal switch
        {
            CallRefusal.None => null,
            CallRefusal.NotPermitted => $"{visitor.Name} is not on your list.",
            CallRefusal.Busy => "You are already in a call.",
            CallRefusal.NotWaiting => $"{visitor.Name} is no longer waiting.",
            _ => "That visitor cannot be called from this console.",
        };
        _call = call ?? _call;
    }

    private void CancelCall()
    {
        if (_session is not null && _call is not null)
        {
            Lobby.HangUp(_session.Id, _call.Id);
        }
    }

    private void Dismiss(Visitor visitor)
    {
        if (_session is not null)
        {
            Lobby.Dismiss(_session.Id, visitor.Id);
        }
    }

    private async Task SetAlertAsync(AlertKind kind, ChangeEventArgs e)
    {
        if (_alertsHandle is null)
        {
            return;
        }

        var enabled = e.Value is true;
        try
        {
            await _alertsHandle.InvokeVoidAsync("setPreference", kind.ToString().ToLowerInvariant(), enabled);
            _alerts = await _alertsHandle.InvokeAsync<AlertPreferences>("preferences");
        }
        catch (Exception failure) when (IsPageFailure(failure))
        {
            // the checkbox shows what the browser has; the console goes on
        }
    }

    private async Task EnableAlertsAsync()
    {
        if (_alertsHandle is null)
        {
            return;
        }

        try
        {
            // The browser's permission prompt waits for the host for as long as they take: no interop timeout.
            await _alertsHandle.InvokeAsync<string>("requestNotificationPermission", CancellationToken.None);
            _alerts = await _alertsHandle.InvokeAsync<AlertPreferences>("preferences");
        }
        catch (Exception failure) when (IsPageFailure(failure))
        {
            // no permission, and the button stays for another try; the console goes on
        }
    }

    // What a page can do to an event handler's interop call. Left to reach the renderer, it would end the circuit.
    private static bool IsPageFailure(Exception failure) =>
        failure is JSException or JSDisconnectedException or OperationCanceledException;

    private async Task UpdateAlertsAsync(int waiting, int arrivals)
    {
        try
        {
            if (_alertsHandle is not null)
            {
                await _alertsHandle.InvokeVoidAsync("update", waiting, arrivals);
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
        StopFollowing();
        if (_session is not null)
        {
            Lobby.CloseConsole(_session.Id);
        }

        try
        {
            if (_alertsHandle is not null)
            {
                await _alertsHandle.InvokeVoidAsync("stop");
                await _alertsHandle.DisposeAsync();
            }

            if (_alertsModule is not null)
            {
                await _alertsModule.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
        }
    }

    /// <summary>The alert switches as the page keeps them in <c>localStorage</c>.</summary>
    internal sealed record AlertPreferences(bool Chime, bool Title, bool Notification, string Permission);
}
