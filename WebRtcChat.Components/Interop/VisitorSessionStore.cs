using Microsoft.JSInterop;

namespace WebRtcChat.Components.Interop;

/// <summary>The visitor's resume token in this tab's <c>sessionStorage</c>, through <c>visitor-session.js</c>.</summary>
public sealed class VisitorSessionStore(IJSRuntime js) : IAsyncDisposable
{
    private readonly JsModule _module = new(js, "./js/visitor-session.js");

    /// <summary>Whether the store can be read (its module is imported and not disposed).</summary>
    public bool IsReady { get; private set; }

    /// <summary>Imports the module; false when disposed meanwhile.</summary>
    public async Task<bool> OpenAsync() => IsReady = await _module.ImportAsync() is not null;

    /// <summary>The token this tab kept, or null.</summary>
    public async Task<string?> LoadAsync() =>
        await _module.ImportAsync() is { } module ? await module.InvokeAsync<string?>("load") : null;

    /// <summary>Keeps the token, or forgets it when null. Nothing happens before the store is open, or after the page went.</summary>
    public async Task SaveAsync(string? token)
    {
        try
        {
            if (IsReady && await _module.ImportAsync() is { } module)
            {
                await module.InvokeVoidAsync("save", token);
            }
        }
        catch (JSDisconnectedException)
        {
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        IsReady = false;
        return _module.DisposeAsync();
    }
}
