using Microsoft.AspNetCore.Components;
using WebRtcChat.Components.Calls;
using WebRtcChat.Components.Circuits;
using WebRtcChat.Components.Interop;
using WebRtcChat.Components.Lobby;

namespace WebRtcChat.Components.Consoles;

/// <summary>
/// One administrator's console: the live list of visitors waiting for them, the alerts, and the call. It opens a
/// console session after the first render and follows this circuit's inbox; the session closes with the circuit or
/// the component, or at once when its path leaves the configuration.
/// </summary>
public sealed partial class HostConsole : IAsyncDisposable
{
    private IReadOnlyList<ListedVisitor> _visitors = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _drafts = new(StringComparer.Ordinal); // visitor id → typed, not sent
    private readonly Dictionary<string, string> _said = new(StringComparer.Ordinal); // visitor id → the last line sent
    private long _arrivals;
    private string? _arrivalNews; // for screen readers: who arrived last
    private bool _listed;
    private CallInfo? _call;
    private string? _notice;
    private (Visitor Visitor, string Text)? _failure;
    private IReadOnlyList<CallRecord> _history = [];
    private ConnectivityCheck? _check;
    private bool _testing;
    private IReadOnlyList<string>? _testResult;
    private bool _closed;

    /// <summary>The host's IP address, from the request that served the page.</summary>
    [Parameter, EditorRequired] public required string ClientAddress { get; set; }

    /// <summary>The console path the page was served at (kept server-side, in the protected component state).</summary>
    [Parameter, EditorRequired] public required string ConsolePath { get; set; }

    /// <summary>The administrator whose console this is (the page matched their secret path).</summary>
    [Parameter, EditorRequired] public required string AdministratorName { get; set; }

    private bool IsSuperAdministrator =>
        Settings.Current.Administrators.FirstOrDefault(a => a.Name == AdministratorName) is { SuperAdministrator: true };

    // Each render's own time; between renders, the waiting column ticks in the browser.
    private DateTimeOffset Now => Time.GetUtcNow();

    private int WaitingCount => _visitors.Count(v => v.Visitor.Status == VisitorStatus.Waiting);

    /// <inheritdoc />
    protected override void OnAfterRender(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        if (Lobby.OpenConsole(AdministratorName, ConsolePath, ClientAddress) is null)
        {
            Close();
            StateHasChanged();
            return;
        }

        Follow();
    }

    /// <inheritdoc />
    protected override void OnSnapshot(LobbySnapshot snapshot)
    {
        if (_closed || Lobby.Console is not { } session
            || Settings.Current.Administrators.FirstOrDefault(a => a.Name == AdministratorName) is not { } host)
        {
            _visitors = [];
            return;
        }

        _visitors = [.. Visibility.For(snapshot, host, Settings.Current.Administrators)];
        _call = snapshot.Calls.FirstOrDefault(c => c.HostSessionId == session.Id);
        _history = [.. snapshot.History.Where(r => r.HostName == AdministratorName)];
        if (_call is { Phase: CallPhase.Answered } answered)
        {
            JoinCall(answered.Id);
        }

        var arrived = _visitors.Where(v => _seen.Add(v.Visitor.Id)).Select(v => v.Visitor.Name).ToList();
        if (_listed && arrived.Count > 0) // those already waiting when the console opened are no arrivals
        {
            _arrivals += arrived.Count;
            _arrivalNews = arrived.Count == 1 ? $"{arrived[0]} is waiting." : $"{arrived[0]} and {arrived.Count - 1} more are waiting.";
        }

        _listed = true;
        _seen.IntersectWith(_visitors.Select(v => v.Visitor.Id)); // only those still listed: bounded by the lobby
        foreach (var gone in _drafts.Keys.Concat(_said.Keys).Where(id => !_seen.Contains(id)).ToList())
        {
            _drafts.Remove(gone);
            _said.Remove(gone);
        }
    }

    /// <inheritdoc />
    protected override void OnMessage(PartyMessage message)
    {
        if (message is ConsoleClosedMessage)
        {
            Close();
        }
        else if (message is CallEndedMessage ended)
        {
            // The message comes before the snapshot without the call: the call is still the one this console knew.
            var visitor = _call is { } mine && mine.Id == ended.CallId ? Lobby.Current.FindVisitor(mine.VisitorId) : null;
            if (ended.Failure is { } failure && visitor is not null)
            {
                (_failure, _notice) = ((visitor, CallFailureText.ForHost(failure, visitor.Name)), null);
            }
            else
            {
                _notice = ended.Failure is { } failed ? CallFailureText.ForHost(failed, _call?.VisitorName ?? "the visitor") : $"Call ended: {ended.Reason}.";
            }

            _call = null;
        }
    }

    // The console's path changed or its host was removed: show nothing more, listen to nothing more.
    private void Close()
    {
        _closed = true;
        StopFollowing();
        Lobby.CloseConsole();
        (_visitors, _call) = ([], null);
        LeaveCall();
    }

    // The connection doctor from this browser: each TURN URL on its own, as a call would use it.
    private async Task TestConnectionAsync()
    {
        if (_testing || Lobby.CheckConfiguration() is not { } configuration)
        {
            return;
        }

        (_testing, _testResult) = (true, null);
        try
        {
            _check ??= new ConnectivityCheck(JS);
            var report = await _check.RunAsync(configuration);
            _testResult = report is null ? ["This browser could not run the test."] : Describe(report);
        }
        finally
        {
            _testing = false;
        }
    }

    private static List<string> Describe(ConnectivityReport report)
    {
        var lines = new List<string>
        {
            report.ServerReflexive ? "UDP gets out from this browser: a direct connection is possible." : "UDP does not get out from this browser: calls need the relay over TCP or TLS.",
        };
        lines.AddRange(report.Urls.Select(u => u switch
        {
            { Reached: true } => $"{u.Url}: works",
            { Error: 401 } => $"{u.Url}: the relay refused our credentials (401): Ice.TurnSharedSecret is not coturn's static-auth-secret",
            { Error: 701 } => $"{u.Url}: no answer (701): a firewall, or coturn not listening there",
            { Error: { } code } => $"{u.Url}: no relay address (error {code})",
            _ => $"{u.Url}: no relay address within 6 s",
        }));
        return lines;
    }

    private static string Clock(DateTimeOffset time) => time.ToLocalTime().ToString("HH:mm:ss", null);

    private void TryAgain()
    {
        if (_failure is { } failure)
        {
            Call(failure.Visitor);
        }
    }

    private void Call(Visitor visitor)
    {
        _failure = null;
        var refusal = Lobby.Call(visitor.Id).Refusal;
        _notice = refusal switch
        {
            CallRefusal.None => null,
            CallRefusal.NotPermitted => $"{visitor.Name} is not on your list.",
            CallRefusal.Busy => "You are already in a call.",
            CallRefusal.NotWaiting => $"{visitor.Name} is no longer waiting.",
            _ => "That visitor cannot be called from this console.",
        };
        // The call itself shows when its snapshot comes in, after any older ones already in the inbox.
    }

    private void CancelCall()
    {
        if (_call is not null)
        {
            Lobby.HangUp(_call.Id);
        }
    }

    // Dismiss gives what is typed in the visitor's row, if anything, as the reason.
    private void Dismiss(Visitor visitor)
    {
        if (!HostNotes.TryNormalizeReason(_drafts.GetValueOrDefault(visitor.Id), out var reason, out var error))
        {
            _notice = $"{visitor.Name} was not dismissed: {error}";
            return;
        }

        if (Lobby.Dismiss(visitor.Id, reason))
        {
            _drafts.Remove(visitor.Id);
        }
    }

    private void SendNote(Visitor visitor)
    {
        if (!HostNotes.TryNormalize(_drafts.GetValueOrDefault(visitor.Id), out var note, out var error))
        {
            _notice = $"Not posted for {visitor.Name}: {error}";
            return;
        }

        var outcome = Lobby.SendNote(visitor.Id, note);
        _notice = outcome switch
        {
            NoteOutcome.Sent => null,
            NoteOutcome.TooSoon => $"Not posted: {visitor.Name} had {HostNotes.MaxPerWindow} notes within a minute. Please wait a little.",
            _ => $"{visitor.Name} cannot be sent a note from this console.",
        };
        if (outcome == NoteOutcome.Sent)
        {
            _said[visitor.Id] = note;
            _drafts.Remove(visitor.Id);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        StopFollowing();
        Lobby.CloseConsole();
        if (_check is not null)
        {
            await _check.DisposeAsync();
        }
    }
}
