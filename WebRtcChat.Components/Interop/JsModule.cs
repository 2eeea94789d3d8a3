using Microsoft.JSInterop;

namespace WebRtcChat.Components.Interop;

/// <summary>
/// One JS module's lifecycle, as QuickGrid keeps it: imported on first use (from the first
/// <c>OnAfterRenderAsync</c>), guarded against disposal while the import is in flight, and disposed catching only
/// <see cref="JSDisconnectedException"/> (the circuit is gone, and the page with it).
/// </summary>
public sealed class JsModule(IJSRuntime js, string path) : IAsyncDisposable
{
    private IJSObjectReference? _module;
    private bool _disposed;

    /// <summary>The module, importing it the first time; null once disposed (even if that happened during the import).</summary>
    public async Task<IJSObjectReference?> ImportAsync()
    {
        if (_module is not null || _disposed)
        {
            return _module;
        }

        var module = await js.InvokeAsync<IJSObjectReference>("import", path);
        if (_disposed)
        {
            await SafeDisposeAsync(module);
            return null;
        }

        return _module = module;
    }

    /// <summary>Disposes a JS object reference, unless the circuit has already gone.</summary>
    public static async ValueTask SafeDisposeAsync(IJSObjectReference? reference)
    {
        try
        {
            if (reference is not null)
            {
                await reference.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
            // the circuit is gone, and the browser with it
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        var module = _module;
        _module = null;
        await SafeDisposeAsync(module);
    }
}
