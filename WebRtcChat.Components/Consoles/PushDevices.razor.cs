using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using WebRtcChat.Components.Alerts;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Interop;
using WebRtcChat.Components.Lobby;

namespace WebRtcChat.Components.Consoles;

/// <summary>
/// <b>Get alerts on this device</b> and the list of the host's devices that get Web Push, each with Remove. The one
/// owner of <c>wwwroot-js/push-devices.js</c>. What the page hands over is checked by <see cref="IPushDevices.Add"/>
/// (<see cref="PushSubscriptionRules"/>) before anything is stored; the endpoints stay on the server, never rendered.
/// </summary>
public sealed partial class PushDevices
{
    private JsModule? _module;
    private IJSObjectReference? _handle;
    private IDisposable? _changes;
    private IReadOnlyList<PushDevice> _devices = [];
    private PushState? _state;
    private string? _notice;
    private bool _busy;
    private bool _disposed;

    [Inject] public required IJSRuntime JS { get; init; }

    [Inject] public required IPushDevices Devices { get; init; }

    [Inject] public required WebRtcChatSettings Settings { get; init; }

    /// <summary>The host whose devices these are.</summary>
    [Parameter, EditorRequired] public required string AdministratorName { get; set; }

    /// <summary>The host's console path: the worker's scope, and where the worker is served.</summary>
    [Parameter, EditorRequired] public required string ConsolePath { get; set; }

    /// <summary>Raised after this host's devices changed, here or in another of their consoles.</summary>
    [Parameter] public EventCallback DevicesChanged { get; set; }

    // Alerts.WebPush, read at each render so that an edit of the file shows without a reload.
    private bool Allowed => Settings.Current.Administrators.FirstOrDefault(a =>
        VisitorNames.MatchKey(a.Name) == VisitorNames.MatchKey(AdministratorName))?.Alerts.WebPush ?? false;

    private bool ThisDeviceListed => _devices.Any(IsThisDevice);

    /// <inheritdoc />
    protected override void OnInitialized()
    {
        _devices = Devices.DevicesOf(AdministratorName);
        var key = VisitorNames.MatchKey(AdministratorName);
        _changes = Devices.Subscribe(host =>
        {
            if (host == key && !_disposed)
            {
                _ = InvokeAsync(async () =>
                {
                    _devices = Devices.DevicesOf(AdministratorName);
                    StateHasChanged();
                    await DevicesChanged.InvokeAsync();
                });
            }
        });
    }

    /// <inheritdoc />
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || !Allowed)
        {
            return;
        }

        try
        {
            _module = new JsModule(JS, "./js/push-devices.js");
            if (await _module.ImportAsync() is not { } module)
            {
                return; // disposed while the import was in flight
            }

            _handle = await module.InvokeAsync<IJSObjectReference>("init", ConsoleAppFiles.WorkerUrl(ConsolePath), ConsoleAppFiles.Scope(ConsolePath));
            _state = await _handle.InvokeAsync<PushState>("state");
            StateHasChanged();
        }
        catch (Exception failure) when (IsPageFailure(failure))
        {
            // no Web Push from this page; the console goes on
        }
    }

    private bool IsThisDevice(PushDevice device) => _state?.Endpoint is { } endpoint && endpoint == device.Endpoint;

    private static string Added(PushDevice device) => device.AddedAt.ToLocalTime().ToString("d MMM yyyy, HH:mm", CultureInfo.InvariantCulture);

    private async Task SubscribeAsync()
    {
        if (_handle is null || _busy)
        {
            return;
        }

        _busy = true;
        _notice = null;
        try
        {
            // The permission prompt waits for the host as long as they take: no interop timeout.
            var result = await _handle.InvokeAsync<SubscribeResult>("subscribe", CancellationToken.None, Devices.ApplicationServerKey);
            _notice = result.Outcome switch
            {
                "subscribed" => await StoreAsync(result.Subscription),
                "denied" => "Notifications are blocked for this console: allow them in the browser's settings for this site, then try again.",
                "unsupported" => "This browser cannot get push alerts here.",
                _ => $"The browser could not subscribe ({Bounded(result.Reason)}). Try again, or try another browser.",
            };
        }
        catch (Exception failure) when (IsPageFailure(failure))
        {
            _notice = "The browser could not subscribe. Try again, or try another browser.";
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task<string> StoreAsync(PushSubscriptionPayload? subscription)
    {
        var added = subscription is null ? PushDeviceAdded.Invalid : Devices.Add(AdministratorName, subscription);
        if (added == PushDeviceAdded.Added)
        {
            _state = (_state ?? new PushState(true, "granted", null)) with { Endpoint = subscription!.Endpoint };
            _devices = Devices.DevicesOf(AdministratorName);
            return "Alerts are on for this device.";
        }

        // Not stored, so not left subscribed in the browser either.
        await UnsubscribeAsync();
        return added == PushDeviceAdded.TooMany
            ? $"You already have {PushSubscriptionRules.MaxDevicesPerHost} devices: remove one first."
            : "This browser's subscription was refused.";
    }

    private async Task RemoveAsync(PushDevice device)
    {
        if (_busy)
        {
            return;
        }

        _busy = true;
        try
        {
            if (IsThisDevice(device))
            {
                await UnsubscribeAsync();
                _state = _state! with { Endpoint = null };
            }

            Devices.Remove(AdministratorName, device.Id);
            _devices = Devices.DevicesOf(AdministratorName);
            _notice = $"Removed: {device.Label}.";
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task UnsubscribeAsync()
    {
        try
        {
            if (_handle is not null)
            {
                await _handle.InvokeAsync<bool>("unsubscribe");
            }
        }
        catch (Exception failure) when (IsPageFailure(failure))
        {
            // the browser keeps a subscription nobody sends to
        }
    }

    // A reason from the page is an error's name; anything longer or stranger is cut down before it is shown.
    private static string Bounded(string? reason) =>
        new string([.. (reason ?? "").Where(char.IsAsciiLetterOrDigit).Take(40)]) is { Length: > 0 } name ? name : "unknown error";

    // What a page can do to an event handler's interop call. Left to reach the renderer, it would end the circuit.
    private static bool IsPageFailure(Exception failure) =>
        failure is JSException or JSDisconnectedException or OperationCanceledException or InvalidOperationException
            or System.Text.Json.JsonException;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        _changes?.Dispose();
        await JsModule.SafeDisposeAsync(_handle);
        if (_module is not null)
        {
            await _module.DisposeAsync();
        }
    }

    /// <summary>This browser's Web Push, as the page reports it.</summary>
    internal sealed record PushState(bool Supported, string Permission, string? Endpoint);

    /// <summary>What the page's subscribe did.</summary>
    internal sealed record SubscribeResult(string Outcome, PushSubscriptionPayload? Subscription, string? Reason);
}
