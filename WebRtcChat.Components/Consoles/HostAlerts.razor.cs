using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using WebRtcChat.Components.Interop;

namespace WebRtcChat.Components.Consoles;

/// <summary>
/// The console's alerts and their three switches: a chime and a desktop notification when someone arrives, and the
/// count of waiting visitors in the tab title. The one owner of <c>wwwroot-js/host-alerts.js</c>, whose handle keeps
/// the host's choices in <c>localStorage</c>.
/// </summary>
public sealed partial class HostAlerts
{
    private JsModule? _module;
    private IJSObjectReference? _handle;
    private DotNetObjectReference<VisibilityInterop>? _interop;
    private AlertPreferences _preferences = new(true, true, false, "default");
    private (int Waiting, long Arrivals) _shown;
    private bool _disposed;

    private enum AlertKind
    {
        Chime,
        Title,
        Notification,
    }

    [Inject] public required IJSRuntime JS { get; init; }

    /// <summary>How many visitors wait now (for the title).</summary>
    [Parameter, EditorRequired] public required int Waiting { get; set; }

    /// <summary>How many visitors have arrived since the console opened: each new one alerts.</summary>
    [Parameter, EditorRequired] public required long Arrivals { get; set; }

    /// <summary>The page became visible (true) or hidden: told once at start, then on every change.</summary>
    [Parameter] public EventCallback<bool> OnVisibilityChanged { get; set; }

    /// <inheritdoc />
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            try
            {
                _module = new JsModule(JS, "./js/host-alerts.js");
                if (await _module.ImportAsync() is not { } module)
                {
                    return; // disposed while the import was in flight
                }

                _interop = DotNetObjectReference.Create(new VisibilityInterop(this));
                _handle = await module.InvokeAsync<IJSObjectReference>("init", new { }, _interop);
                _preferences = await _handle.InvokeAsync<AlertPreferences>("preferences");
                _shown = (-1, Arrivals); // those listed when the console opened are no arrivals
                StateHasChanged();
            }
            catch (JSDisconnectedException)
            {
                return;
            }
        }

        await UpdateAsync();
    }

    private async Task UpdateAsync()
    {
        if (_handle is null || _disposed || (Waiting, Arrivals) == _shown)
        {
            return;
        }

        var arrivals = (int)Math.Clamp(Arrivals - _shown.Arrivals, 0, int.MaxValue);
        _shown = (Waiting, Arrivals);
        try
        {
            await _handle.InvokeVoidAsync("update", Waiting, arrivals);
        }
        catch (JSDisconnectedException)
        {
        }
    }

    private async Task SetAsync(AlertKind kind, ChangeEventArgs e)
    {
        if (_handle is null)
        {
            return;
        }

        try
        {
            await _handle.InvokeVoidAsync("setPreference", kind.ToString().ToLowerInvariant(), e.Value is true);
            _preferences = await _handle.InvokeAsync<AlertPreferences>("preferences");
        }
        catch (Exception failure) when (IsPageFailure(failure))
        {
            // the checkbox shows what the browser has; the console goes on
        }
    }

    private async Task EnableAsync()
    {
        if (_handle is null)
        {
            return;
        }

        try
        {
            // The browser's permission prompt waits for the host for as long as they take: no interop timeout.
            await _handle.InvokeAsync<string>("requestNotificationPermission", CancellationToken.None);
            _preferences = await _handle.InvokeAsync<AlertPreferences>("preferences");
        }
        catch (Exception failure) when (IsPageFailure(failure))
        {
            // no permission, and the button stays for another try; the console goes on
        }
    }

    // What a page can do to an event handler's interop call. Left to reach the renderer, it would end the circuit.
    private static bool IsPageFailure(Exception failure) =>
        failure is JSException or JSDisconnectedException or OperationCanceledException;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        try
        {
            if (_handle is not null)
            {
                await _handle.InvokeVoidAsync("stop");
            }
        }
        catch (JSDisconnectedException)
        {
        }

        await JsModule.SafeDisposeAsync(_handle);
        if (_module is not null)
        {
            await _module.DisposeAsync();
        }

        _interop?.Dispose();
    }

    /// <summary>The only method <c>host-alerts.js</c> may call: whether the page is visible.</summary>
    private sealed class VisibilityInterop(HostAlerts owner)
    {
        [JSInvokable]
        public Task OnVisibilityChanged(bool visible) => owner._disposed ? Task.CompletedTask : owner.OnVisibilityChanged.InvokeAsync(visible);
    }

    /// <summary>The alert switches as the page keeps them in <c>localStorage</c>.</summary>
    internal sealed record AlertPreferences(bool Chime, bool Title, bool Notification, string Permission);
}
