using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WebRtcChat.Tests.Infrastructure;

/// <summary>
/// An HTTP server on 127.0.0.1 standing in for ntfy or a webhook receiver: it keeps every request (method, path,
/// headers, exact body) and answers with the statuses it is given, then 200.
/// </summary>
public sealed class HttpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _statuses = new();
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();

    private HttpReceiver(WebApplication app) => _app = app;

    /// <summary>http://127.0.0.1:port, with no slash at the end.</summary>
    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    public static async Task<HttpReceiver> StartAsync(params int[] statuses)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new HttpReceiver(app);
        foreach (var status in statuses)
        {
            receiver._statuses.Enqueue(status);
        }

        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            receiver._requests.Enqueue(new ReceivedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body.ToArray()));
            context.Response.StatusCode = receiver._statuses.TryDequeue(out var status) ? status : StatusCodes.Status200OK;
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.BaseUrl = address.TrimEnd('/');
        return receiver;
    }

    /// <summary>Waits until <paramref name="count"/> requests have come in; false on time-out.</summary>
    public Task<bool> ReceivedAsync(int count, TimeSpan timeout) => Eventually.HoldsAsync(() => _requests.Count >= count, timeout);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One request as it arrived.</summary>
public sealed record ReceivedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
