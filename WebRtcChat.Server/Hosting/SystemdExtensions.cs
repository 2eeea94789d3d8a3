using Microsoft.Extensions.Hosting.Systemd;

namespace WebRtcChat.Server.Hosting;

/// <summary>
/// Running as a systemd service of <c>Type=notify</c> (<c>contrib/systemd/webrtcchat.service</c>): systemd learns
/// when the server listens, and when it stops.
/// </summary>
public static class SystemdExtensions
{
    /// <summary>
    /// Under systemd, <c>AddSystemd</c> reports readiness. A service manager that is not systemd's own process but
    /// speaks its protocol (a <c>NOTIFY_SOCKET</c> is set: a container's init, <c>systemd-run --pipe</c>, a test) is told
    /// the same by <see cref="ReadinessNotifier"/>.
    /// </summary>
    public static IHostApplicationBuilder AddWebRtcChatSystemd(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSystemd();
        if (!SystemdHelpers.IsSystemdService() && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NOTIFY_SOCKET")))
        {
            builder.Services.AddSingleton<ISystemdNotifier, SystemdNotifier>();
            builder.Services.AddHostedService<ReadinessNotifier>();
        }

        return builder;
    }

    /// <summary>Sends <c>READY=1</c> once the server listens and <c>STOPPING=1</c> when it begins to stop.</summary>
    internal sealed class ReadinessNotifier(ISystemdNotifier notifier, IHostApplicationLifetime lifetime) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStarted.Register(() => notifier.Notify(ServiceState.Ready));
            lifetime.ApplicationStopping.Register(() => notifier.Notify(ServiceState.Stopping));
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
