using Microsoft.JSInterop;

namespace WebRtcChat.Components.Interop;

/// <summary>What the ring shows: the flashing tab title, and the system notification's title and text.</summary>
public sealed record RingWords(string Title, string NotificationTitle, string NotificationBody);

/// <summary>
/// The one owner of <c>wwwroot-js/ring.js</c>: the visitor's page rings while a host calls (a tone, the tab title
/// flashing, a vibration on phones, a system notification when the visitor allowed them) and is silent otherwise.
/// A ring is advice: when the page cannot ring, the call goes on without it.
/// </summary>
public sealed class RingTone(IJSRuntime js) : IAsyncDisposable
{
    private readonly JsModule _module = new(js, "./js/ring.js");
    private IJSObjectReference? _handle;
    private bool _ringing; // what the page was last told
    private bool _disposed;

    /// <summary>
    /// Whether the browser shows this page's notifications: <c>default</c> (not asked yet), <c>granted</c>,
    /// <c>denied</c> or <c>unsupported</c>; null until the module is ready.
    /// </summary>
    public string? Permission { get; private set; }

    /// <summary>
    /// Imports the module and prepares the ring, silent, with its <paramref name="words"/> in the page's language;
    /// false when the page went meanwhile, or could not.
    /// </summary>
    public async Task<bool> OpenAsync(RingWords words)
    {
        try
        {
            if (await _module.ImportAsync() is not { } module)
            {
                return false; // disposed while the import was in flight
            }

            var handle = await module.InvokeAsync<IJSObjectReference>("init", words);
            if (_disposed)
            {
                await JsModule.SafeDisposeAsync(handle);
                return false;
            }

            _handle = handle;
            Permission = await handle.InvokeAsync<string>("permission");
            return true;
        }
        catch (Exception failure) when (IsPageFailure(failure))
        {
            return false;
        }
    }

    /// <summary>
    /// Rings while <paramref name="ringing"/> is true, and stops when it is not; telling the page the same twice does
    /// nothing. The page stops by itself after <paramref name="atMost"/>, should this circuit never say so.
    /// </summary>
    public async Task RingAsync(bool ringing, TimeSpan atMost)
    {
        if (_handle is not { } handle || _disposed || ringing == _ringing)
        {
            return;
        }

        _ringing = ringing; // before the call: a render meanwhile sees what the page is being told
        try
        {
            if (ringing)
            {
                await handle.InvokeVoidAsync("start", Math.Max(1, Math.Ceiling(atMost.TotalSeconds)));
            }
            else
            {
                await handle.InvokeVoidAsync("stop");
            }
        }
        catch (Exception failure) when (IsPageFailure(failure))
        {
            // no ring, or one that stops by itself: the call goes on
        }
    }

    /// <summary>
    /// The visitor pressed "Notify me when I am called": the browser asks them. The answer is in
    /// <see cref="Permission"/>. Never called otherwise: a page does not ask unprompted.
    /// </summary>
    public async Task RequestNotificationsAsync()
    {
        if (_handle is not { } handle || _disposed)
        {
            return;
        }

        try
        {
            // The browser's prompt waits for the visitor for as long as they take: no interop timeout.
            Permission = await handle.InvokeAsync<string>("requestNotificationPermission", CancellationToken.None);
        }
        catch (Exception failure) when (IsPageFailure(failure))
        {
            // no answer: the button stays for another try
        }
    }

    // What a page can do to an interop call. Left to reach the renderer, it would end the circuit.
    private static bool IsPageFailure(Exception failure) =>
        failure is JSException or JSDisconnectedException or OperationCanceledException;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        var handle = _handle;
        _handle = null;
        try
        {
            if (handle is not null)
            {
                await handle.InvokeVoidAsync("dispose"); // stops a ring, gives the title back
            }
        }
        catch (JSDisconnectedException)
        {
        }

        await JsModule.SafeDisposeAsync(handle);
        await _module.DisposeAsync();
    }
}
