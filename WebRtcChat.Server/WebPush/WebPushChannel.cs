using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Lib.Net.Http.WebPush;
using Lib.Net.Http.WebPush.Authentication;
using WebRtcChat.Components.Alerts;
using WebRtcChat.Components.Configuration;

namespace WebRtcChat.Server.WebPush;

/// <summary>
/// Web Push to the host's own browsers and phones (RFC 8030), signed with the server's VAPID key (RFC 8292) and
/// encrypted for each device (RFC 8291, <c>aes128gcm</c>) by <c>Lib.Net.Http.WebPush</c>. The push service sees the
/// device's endpoint, the VAPID public key and subject, the time and size of each message and an opaque topic; the
/// title, body, tag and link are encrypted for the device alone. A device the push service says is gone (404, 410)
/// is dropped from the store.
/// </summary>
public sealed class WebPushChannel(
    PushSubscriptionStore store, VapidKeys keys, WebRtcChatSettings settings, [FromKeyedServices(Alerts.AlertHttpClients.Key)] IHttpClientFactory httpClients, ILogger<WebPushChannel> logger) : IAlertChannel
{
    /// <summary>The name of the <see cref="HttpClient"/> it sends through (for the tests' loopback push service).</summary>
    public const string HttpClientName = "WebPush";

    /// <summary>
    /// The VAPID subject when <c>Alerts.VapidSubject</c> is empty. Firefox's and Chrome's push services take it;
    /// Apple's refuses a subject on <c>localhost</c> (403 BadJwtToken), hence the README's advice to set a real one.
    /// </summary>
    public const string DefaultSubject = "mailto:webrtcchat@localhost";

    /// <summary>How long a push service keeps an undelivered alert: after an hour, who waited has likely gone.</summary>
    public const int TimeToLiveSeconds = 3600;

    // A push service takes at most 4,096 bytes of ciphertext: these keep the worst case (3 UTF-8 bytes a character,
    // JSON escapes aside) well under it.
    private const int MaxTitleLength = 120;
    private const int MaxBodyLength = 500;
    private const int MaxLinkLength = 1000;

    private static readonly JsonSerializerOptions PayloadJson = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <inheritdoc />
    public string Name => "Web Push";

    /// <inheritdoc />
    public bool IsConfigured(AdministratorOptions host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return host.Alerts.WebPush && store.HasDevices(host.Name);
    }

    /// <inheritdoc />
    public async Task<AlertOutcome> SendAsync(AdministratorOptions host, Alert alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(alert);
        if (!host.Alerts.WebPush)
        {
            return new AlertOutcome(Name, false, "Web Push is turned off for this host in the configuration (Alerts.WebPush).", Permanent: true);
        }

        var devices = store.Subscriptions(host.Name);
        if (devices.Count == 0)
        {
            return new AlertOutcome(Name, false, "No device gets alerts yet: press Get alerts on this device in the console.", Permanent: true);
        }

        var subject = Subject();
        using var authentication = new VapidAuthentication(keys.PublicKey, keys.PrivateKey) { Subject = subject, Expiration = 12 * 3600 };
        var client = new PushServiceClient(httpClients.CreateClient(HttpClientName))
        {
            // A long Retry-After must not hold the alert queue: a 429 is a failure like any other, for the retries around us.
            AutoRetryAfter = false,
            DefaultTimeToLive = TimeToLiveSeconds,
        };
        var payload = Payload(alert);
        var topic = Topic(alert.Tag);
        var sent = 0;
        var dropped = 0;
        var problems = new List<string>();
        var permanent = true;
        foreach (var device in devices)
        {
            var message = new PushMessage(payload) { Topic = topic, Urgency = PushMessageUrgency.High, TimeToLive = TimeToLiveSeconds };
            var subscription = new PushSubscription { Endpoint = device.Subscription.Endpoint };
            subscription.SetKey(PushEncryptionKeyName.P256DH, device.Subscription.P256dh);
            subscription.SetKey(PushEncryptionKeyName.Auth, device.Subscription.Auth);
            try
            {
                await client.RequestPushMessageDeliveryAsync(subscription, message, authentication, VapidAuthenticationScheme.Vapid, cancellationToken);
                sent++;
            }
            catch (PushServiceClientException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
            {
                // The subscription expired or the browser unsubscribed: it can never work again.
                store.RemoveEndpoint(host.Name, device.Subscription.Endpoint);
                dropped++;
                logger.LogInformation("Web Push: the push service says a device of {Host} is gone ({Status}); it was removed", host.Name, (int)e.StatusCode);
            }
            catch (PushServiceClientException e)
            {
                var status = (int)e.StatusCode;
                permanent &= status is 400 or 401 or 403 or 413;
                problems.Add(status is 401 or 403
                    ? $"{device.Device.Label}: the push service refused the server's VAPID token ({status})" +
                        (subject == DefaultSubject ? "; Apple's needs Alerts.VapidSubject set to a real mailto: address" : "")
                    : $"{device.Device.Label}: the push service answered {status}");
            }
            catch (HttpRequestException e)
            {
                permanent = false;
                problems.Add($"{device.Device.Label}: the push service could not be reached ({e.HttpRequestError})");
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                permanent = false;
                problems.Add($"{device.Device.Label}: the push service did not answer in time");
            }
        }

        if (sent > 0)
        {
            return new AlertOutcome(Name, true);
        }

        if (problems.Count == 0)
        {
            return new AlertOutcome(Name, false,
                dropped == 1 ? "The device's subscription has expired: press Get alerts on this device again." : "Every device's subscription has expired: turn alerts on again on each.",
                Permanent: true);
        }

        return new AlertOutcome(Name, false, string.Join("; ", problems), permanent);
    }

    /// <summary>
    /// What the service worker reads: the title, body and tag, and the link only when the alert carries one. Never the
    /// console path otherwise: the worker opens the console from its own scope.
    /// </summary>
    internal static string Payload(Alert alert) => JsonSerializer.Serialize(
        new PushPayload(Bounded(alert.Title, MaxTitleLength), Bounded(alert.Body, MaxBodyLength), "webrtcchat-" + Bounded(alert.Tag, 64),
            alert.ConsoleLink is { Length: <= MaxLinkLength } link ? link : null),
        PayloadJson);

    // The Topic header is in clear for the push service, so it is a digest of the tag: it only lets a reminder replace
    // the first alert still waiting in the queue of a phone that is off.
    internal static string Topic(string tag) =>
        Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes("webrtcchat:" + tag)))[..32];

    private string Subject()
    {
        var configured = settings.Current.Alerts.VapidSubject.Trim();
        return configured.StartsWith("mailto:", StringComparison.Ordinal)
            || (Uri.TryCreate(configured, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps)
            ? configured
            : DefaultSubject;
    }

    private static string Bounded(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    private sealed record PushPayload(
        [property: JsonPropertyName("title")] string Title,
        [property: JsonPropertyName("body")] string Body,
        [property: JsonPropertyName("tag")] string Tag,
        [property: JsonPropertyName("url")] string? Url);
}
