using System.Net.Http.Headers;
using System.Net.Http.Json;
using WebRtcChat.Components.Alerts;
using WebRtcChat.Components.Configuration;

namespace WebRtcChat.Server.Alerts;

/// <summary>
/// ntfy (ntfy.sh or your own): the alert published as JSON to the topic's server (ntfy's "publish as JSON", which
/// carries any name as it is, where headers could not), with the access token as a bearer token. The link, when the
/// host allows one, is the notification's click action.
/// </summary>
internal sealed class NtfyChannel([FromKeyedServices(AlertHttpClients.Key)] IHttpClientFactory clients) : IAlertChannel
{
    public const string ClientName = "WebRtcChat.Alerts.ntfy";

    public string Name => "ntfy";

    public bool IsConfigured(AdministratorOptions host) => host.Alerts.Ntfy is { Url.Length: > 0 };

    public Task<AlertOutcome> SendAsync(AdministratorOptions host, Alert alert, CancellationToken cancellationToken)
    {
        if (host.Alerts.Ntfy is not { Url.Length: > 0 } ntfy)
        {
            return Task.FromResult(new AlertOutcome(Name, false, "not set up"));
        }

        // https://ntfy.example.org/base/topic → POST https://ntfy.example.org/base/ with "topic": "topic".
        var url = new Uri(ntfy.Url.TrimEnd('/'));
        var topic = Uri.UnescapeDataString(url.Segments[^1]);
        var root = new Uri(url, "./");
        var request = new HttpRequestMessage(HttpMethod.Post, root)
        {
            Content = JsonContent.Create(new NtfyMessage(topic, alert.Title, alert.Body, alert.Reason == AlertReason.Test ? 3 : 4,
                [alert.Reason == AlertReason.Test ? "test_tube" : "bell"], alert.ConsoleLink)),
        };
        if (ntfy.AccessToken.Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ntfy.AccessToken);
        }

        return SendAsync(request, cancellationToken);
    }

    private async Task<AlertOutcome> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            // The body is made once and sent as it is on every retry.
            await request.Content!.LoadIntoBufferAsync(cancellationToken);
            return await HttpDelivery.PostAsync(clients.CreateClient(ClientName), Name, request, cancellationToken);
        }
    }

    /// <summary>ntfy's JSON message (https://docs.ntfy.sh/publish/#publish-as-json); a null click is left out.</summary>
    internal sealed record NtfyMessage(string Topic, string Title, string Message, int Priority, IReadOnlyList<string> Tags,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Click);
}
