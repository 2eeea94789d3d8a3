using System.Collections.Concurrent;
using WebRtcChat.Components.Alerts;
using WebRtcChat.Components.Configuration;

namespace WebRtcChat.Tests.Alerts;

/// <summary>A channel that keeps what it is asked to send and answers as told.</summary>
public sealed class FakeChannel(string name, Func<AdministratorOptions, bool>? configured = null, Func<Alert, AlertOutcome?>? answer = null) : IAlertChannel
{
    private readonly ConcurrentQueue<(string Host, Alert Alert)> _sent = new();

    public string Name => name;

    public IReadOnlyList<(string Host, Alert Alert)> Sent => [.. _sent];

    public bool IsConfigured(AdministratorOptions host) => configured?.Invoke(host) ?? true;

    public Task<AlertOutcome> SendAsync(AdministratorOptions host, Alert alert, CancellationToken cancellationToken)
    {
        _sent.Enqueue((host.Name, alert));
        return Task.FromResult(answer?.Invoke(alert) ?? new AlertOutcome(name, true));
    }
}
