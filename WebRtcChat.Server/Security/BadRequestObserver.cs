using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Http.Features;
using WebRtcChat.Components.Security;

namespace WebRtcChat.Server.Security;

/// <summary>
/// Kestrel answers a malformed request (400) itself, before any middleware runs; it announces each one on the
/// "Microsoft.AspNetCore" diagnostic listener with the connection's features. This turns them into strikes.
/// </summary>
public sealed class BadRequestObserver(DiagnosticListener listener, IFailedAttemptSink attempts)
    : IHostedService, IObserver<KeyValuePair<string, object?>>
{
    /// <summary>The event Kestrel writes for a bad request.</summary>
    public const string EventName = "Microsoft.AspNetCore.Server.Kestrel.BadRequest";

    private IDisposable? _subscription;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = listener.Subscribe(this, name => name == EventName);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key != EventName || value.Value is not IFeatureCollection features
            || features.Get<IHttpConnectionFeature>()?.RemoteIpAddress is not { } address)
        {
            return;
        }

        var reason = features.Get<IBadRequestExceptionFeature>()?.Error?.Message ?? "bad request";
        attempts.Report(AttemptKinds.BadRequest, NetworkList.Normalize(address).ToString(), reason);
    }

    /// <inheritdoc />
    public void OnCompleted()
    {
    }

    /// <inheritdoc />
    public void OnError(Exception error)
    {
    }
}
