using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using WebRtcChat.Components.Alerts;
using WebRtcChat.Components.Configuration;

namespace WebRtcChat.Server.Alerts;

/// <summary>
/// A generic webhook: a small JSON document POSTed to the host's URL, signed with
/// <c>X-WebRtcChat-Signature: sha256=&lt;hex HMAC-SHA256 of the exact body, keyed with Webhook.Secret&gt;</c>. The body
/// carries when it was sent and a unique id, so a receiver can refuse an old or replayed one. Its <c>title</c>,
/// <c>message</c> and <c>priority</c> are what Gotify's <c>/message</c> takes as they are.
/// </summary>
internal sealed class WebhookChannel([FromKeyedServices(AlertHttpClients.Key)] IHttpClientFactory clients, TimeProvider time) : IAlertChannel
{
    public const string ClientName = "WebRtcChat.Alerts.webhook";

    /// <summary>The signature's header.</summary>
    public const string SignatureHeader = "X-WebRtcChat-Signature";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string Name => "webhook";

    public bool IsConfigured(AdministratorOptions host) => host.Alerts.Webhook is { Url.Length: > 0 };

    public async Task<AlertOutcome> SendAsync(AdministratorOptions host, Alert alert, CancellationToken cancellationToken)
    {
        if (host.Alerts.Webhook is not { Url.Length: > 0 } webhook)
        {
            return new AlertOutcome(Name, false, "not set up");
        }

        var document = new WebhookDocument(alert.Reason.ToString().ToLowerInvariant(), host.Name, alert.Title, alert.Body,
            alert.Reason == AlertReason.Test ? 4 : 8, alert.At.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            time.GetUtcNow().ToUnixTimeSeconds(), Guid.NewGuid().ToString("N"), alert.Tag, alert.ConsoleLink);
        var body = JsonSerializer.SerializeToUtf8Bytes(document, Json);
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation(SignatureHeader, Sign(webhook.Secret, body));
        return await HttpDelivery.PostAsync(clients.CreateClient(ClientName), Name, request, cancellationToken);
    }

    /// <summary><c>sha256=</c> and the lower-case hex HMAC-SHA256 of <paramref name="body"/> keyed with the secret's UTF-8 bytes.</summary>
    public static string Sign(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>What the webhook receives. <c>sentAt</c> is Unix seconds; <c>link</c> only with <c>IncludeConsoleLink</c>.</summary>
    internal sealed record WebhookDocument(string Event, string Host, string Title, string Message, int Priority, string WaitingSince,
        long SentAt, string Id, string Tag, string? Link);
}
