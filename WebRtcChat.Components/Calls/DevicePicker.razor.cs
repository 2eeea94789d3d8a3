using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using WebRtcChat.Components.Interop;

namespace WebRtcChat.Components.Calls;

/// <summary>
/// The camera, microphone and speaker (where the browser lets a page choose one) to use: before a call, remembered
/// in the browser for the next, and during one, switched at once. The one owner of <c>wwwroot-js/media-devices.js</c>,
/// which lists the devices and hands a choice to the call; nothing of it comes back to the server. Its words are the
/// visitor's page's (<see cref="Localization.VisitorText"/>).
/// </summary>
public sealed partial class DevicePicker
{
    private ElementReference _root;
    private JsModule? _module;
    private IJSObjectReference? _handle;
    private bool _disposed;

    [Inject] public required IJSRuntime JS { get; init; }

    /// <inheritdoc />
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        _module = new JsModule(JS, "./js/media-devices.js");
        try
        {
            if (await _module.ImportAsync() is not { } module)
            {
                return; // disposed while the import was in flight
            }

            var handle = await module.InvokeAsync<IJSObjectReference>("attachPicker", _root);
            if (_disposed)
            {
                await CloseAsync(handle);
                return;
            }

            _handle = handle;
            StateHasChanged(); // the button works now
        }
        catch (Exception failure) when (failure is JSException or JSDisconnectedException or OperationCanceledException)
        {
            // no picker: the call uses the browser's default devices
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        var handle = _handle;
        _handle = null;
        if (handle is not null)
        {
            await CloseAsync(handle);
        }

        if (_module is not null)
        {
            await _module.DisposeAsync();
        }
    }

    private static async Task CloseAsync(IJSObjectReference handle)
    {
        try
        {
            await handle.InvokeVoidAsync("detach");
        }
        catch (Exception failure) when (failure is JSException or JSDisconnectedException or OperationCanceledException)
        {
            // the page is gone, and its listeners with it
        }

        await JsModule.SafeDisposeAsync(handle);
    }
}
