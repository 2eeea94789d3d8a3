using WebRtcChat.Server.Hosting;

namespace WebRtcChat.Server.Alerts;

/// <summary>
/// The HTTP clients the alert channels send through (ntfy, the webhook, Web Push), from a container of their own
/// that is built when the first alert is sent. Until then neither the HTTP handlers nor the retry pipeline (Polly,
/// its rate limiter, the options' validation) is loaded or checked: most of the time a server sends no alert, and at
/// every start those libraries cost about 1 MB of resident memory (README, "Benchmark"). The container shares the
/// server's logging and clock; the clients are what <see cref="AlertExtensions.AddAlertHttpClients"/> makes.
/// </summary>
internal sealed class AlertHttpClients(ILoggerFactory loggers, TimeProvider time) : IHttpClientFactory, IDisposable, IAsyncDisposable
{
    /// <summary>The service key the channels take it by (it is not the server's <see cref="IHttpClientFactory"/>).</summary>
    public const string Key = "WebRtcChat.Alerts";

    private readonly Lazy<ServiceProvider> _clients = new(() =>
    {
        var services = new ServiceCollection();
        services.AddSingleton(loggers);
        services.AddSingleton(time);
        services.AddAlertHttpClients();
        return services.BuildServiceProvider();
    });

    public HttpClient CreateClient(string name) => _clients.Value.GetRequiredService<IHttpClientFactory>().CreateClient(name);

    public void Dispose()
    {
        if (_clients.IsValueCreated)
        {
            _clients.Value.Dispose();
        }
    }

    public ValueTask DisposeAsync() => _clients.IsValueCreated ? _clients.Value.DisposeAsync() : ValueTask.CompletedTask;
}
