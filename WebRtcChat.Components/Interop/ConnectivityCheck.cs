using Microsoft.JSInterop;
using WebRtcChat.Components.Lobby;
using WebRtcChat.Components.Signaling;

namespace WebRtcChat.Components.Interop;

/// <summary>What <c>checkConnectivity</c> returns, as the page sent it: untrusted until <see cref="ConnectivityCheck"/> reads it.</summary>
public sealed record ConnectivityPayload(bool ServerReflexive, IReadOnlyList<UrlCheckPayload?>? Urls);

/// <summary>What a call needs of the browser, as <c>callSupport</c> found it.</summary>
public sealed record CallSupport(bool PeerConnection, bool Media, bool SecureContext)
{
    /// <summary>Why this browser cannot make a call, as the <see cref="Localization.VisitorText"/> key of its plain words; null when it can.</summary>
    public string? Problem => !SecureContext
        ? Localization.VisitorText.NotSecure
        : !PeerConnection || !Media
            ? Localization.VisitorText.CannotCall
            : null;
}

/// <summary>One URL's check, as the page sent it.</summary>
public sealed record UrlCheckPayload(string? Url, bool Reached, int? Error);

/// <summary>
/// The one owner of <c>wwwroot-js/ice-check.js</c>: asks whether the browser can call at all, and runs the
/// connection doctor's browser check with the ICE servers given, keeping only URLs that were asked about.
/// </summary>
public sealed class ConnectivityCheck(IJSRuntime js) : IAsyncDisposable
{
    private readonly JsModule _module = new(js, "./js/ice-check.js");

    /// <summary>The check's report; null when the page could not run it (or went away meanwhile).</summary>
    public async Task<ConnectivityReport?> RunAsync(PeerConfiguration configuration)
    {
        ConnectivityPayload? payload;
        try
        {
            if (await _module.ImportAsync() is not { } module)
            {
                return null;
            }

            payload = await module.InvokeAsync<ConnectivityPayload?>("checkConnectivity", TimeSpan.FromSeconds(30), configuration.IceServers);
        }
        catch (Exception e) when (e is JSException or TaskCanceledException or JSDisconnectedException)
        {
            return null; // a check is advice: without one, the console shows nothing, as before
        }

        return Read(payload, configuration.IceServers.SelectMany(s => s.Urls).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>What a call needs of this browser; null when the page could not tell (then the visitor may try).</summary>
    public async Task<CallSupport?> SupportAsync()
    {
        try
        {
            return await _module.ImportAsync() is { } module ? await module.InvokeAsync<CallSupport?>("callSupport") : null;
        }
        catch (Exception e) when (e is JSException or TaskCanceledException or JSDisconnectedException)
        {
            return null;
        }
    }

    /// <summary>The report in a payload, with only the URLs asked about (each once), or null when it is none.</summary>
    public static ConnectivityReport? Read(ConnectivityPayload? payload, IReadOnlySet<string> asked)
    {
        if (payload?.Urls is not { Count: <= 32 } urls)
        {
            return null;
        }

        var checks = urls.OfType<UrlCheckPayload>()
            .Where(u => u.Url is not null && asked.Contains(u.Url))
            .DistinctBy(u => u.Url)
            .Select(u => new UrlCheck(u.Url!, u.Reached, u.Error is >= 0 and < 1000 && !u.Reached ? u.Error : null))
            .ToList();
        return new ConnectivityReport(payload.ServerReflexive, checks);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _module.DisposeAsync();
}
