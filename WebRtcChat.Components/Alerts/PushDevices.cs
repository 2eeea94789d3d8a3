using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json.Serialization;

namespace WebRtcChat.Components.Alerts;

/// <summary>
/// A browser's push subscription as the console's page hands it over (<c>PushSubscription.toJSON()</c>): hostile
/// input until <see cref="PushSubscriptionRules.Check"/> has passed it.
/// </summary>
/// <param name="Endpoint">The push service's URL for this browser.</param>
/// <param name="Keys">The browser's encryption keys.</param>
public sealed record PushSubscriptionPayload(
    [property: JsonPropertyName("endpoint")] string? Endpoint,
    [property: JsonPropertyName("keys")] PushSubscriptionKeys? Keys);

/// <summary>The keys of a push subscription, base64url as browsers give them.</summary>
/// <param name="P256dh">The browser's P-256 public key, uncompressed (65 bytes).</param>
/// <param name="Auth">The browser's authentication secret (16 bytes).</param>
public sealed record PushSubscriptionKeys(
    [property: JsonPropertyName("p256dh")] string? P256dh,
    [property: JsonPropertyName("auth")] string? Auth);

/// <summary>A subscription that passed the rules: what the store keeps and the channel sends to.</summary>
/// <param name="Endpoint">An https URL of a push service.</param>
/// <param name="P256dh">The browser's public key, base64url without padding.</param>
/// <param name="Auth">The browser's authentication secret, base64url without padding.</param>
public sealed record PushSubscriptionData(string Endpoint, string P256dh, string Auth);

/// <summary>One device (a browser profile) that gets a host's alerts.</summary>
/// <param name="Id">The store's id, for Remove.</param>
/// <param name="Endpoint">Its push endpoint: kept on the server, never rendered.</param>
/// <param name="Label">What the console shows, from the push service's name, e.g. "Firefox".</param>
/// <param name="AddedAt">When alerts were turned on for it.</param>
public sealed record PushDevice(long Id, string Endpoint, string Label, DateTimeOffset AddedAt);

/// <summary>What adding a device did.</summary>
public enum PushDeviceAdded
{
    /// <summary>Stored (or, for an endpoint already stored, its keys renewed).</summary>
    Added,

    /// <summary>The host already has <see cref="PushSubscriptionRules.MaxDevicesPerHost"/> devices.</summary>
    TooMany,

    /// <summary>The subscription broke a rule.</summary>
    Invalid,
}

/// <summary>The Web Push devices of each host, as the console lists and changes them.</summary>
public interface IPushDevices
{
    /// <summary>The VAPID public key (base64url of the uncompressed point) a browser subscribes with.</summary>
    string ApplicationServerKey { get; }

    /// <summary>The devices of the host named <paramref name="host"/>, oldest first.</summary>
    IReadOnlyList<PushDevice> DevicesOf(string host);

    /// <summary>Checks and stores a subscription for the host.</summary>
    PushDeviceAdded Add(string host, PushSubscriptionPayload subscription);

    /// <summary>Removes one of the host's devices; false when it was not theirs or already gone.</summary>
    bool Remove(string host, long id);

    /// <summary>Calls <paramref name="changed"/> with the host's name key whenever that host's devices change.</summary>
    IDisposable Subscribe(Action<string> changed);
}

/// <summary>The bounds a subscription from a browser must keep before the server stores it or ever posts to it.</summary>
public static class PushSubscriptionRules
{
    /// <summary>The most devices one host may have.</summary>
    public const int MaxDevicesPerHost = 10;

    /// <summary>The longest endpoint accepted (real ones are 150 to 500 characters).</summary>
    public const int MaxEndpointLength = 1024;

    private const int PublicKeyBytes = 65;
    private const int AuthBytes = 16;

    /// <summary>
    /// The subscription in canonical form, or null with <paramref name="problem"/> saying why not. The endpoint must be
    /// an https URL on the default port of a host named in DNS (not an IP address, not <c>localhost</c>), with no user
    /// name or fragment, so that the server posts only to what can be a push service; the keys must be base64url,
    /// <c>p256dh</c> a point on P-256 and <c>auth</c> 16 bytes.
    /// </summary>
    public static PushSubscriptionData? Check(PushSubscriptionPayload? subscription, out string problem)
    {
        problem = "";
        var endpoint = subscription?.Endpoint;
        if (endpoint is null || endpoint.Length is 0 or > MaxEndpointLength || endpoint.Any(c => c is <= ' ' or > '~'))
        {
            problem = $"the endpoint must be 1 to {MaxEndpointLength} printable ASCII characters";
            return null;
        }

        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || !uri.IsDefaultPort
            || uri.UserInfo.Length > 0 || uri.Fragment.Length > 0 || uri.HostNameType != UriHostNameType.Dns
            || !uri.Host.Contains('.', StringComparison.Ordinal) || uri.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || !endpoint.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            problem = "the endpoint must be an https URL of a push service";
            return null;
        }

        var p256dh = Canonical(subscription?.Keys?.P256dh, PublicKeyBytes, out var point);
        if (p256dh is null || point[0] != 0x04 || !IsOnP256(point))
        {
            problem = "keys.p256dh must be an uncompressed P-256 public key in base64url";
            return null;
        }

        var auth = Canonical(subscription?.Keys?.Auth, AuthBytes, out _);
        if (auth is null)
        {
            problem = "keys.auth must be 16 bytes in base64url";
            return null;
        }

        return new PushSubscriptionData(endpoint, p256dh, auth);
    }

    /// <summary>What the console calls a device, from the push service its browser uses.</summary>
    public static string LabelFor(string endpoint)
    {
        var host = Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) ? uri.Host.ToLowerInvariant() : "";
        return host switch
        {
            "fcm.googleapis.com" or "android.googleapis.com" => "Chrome, Edge or another Chromium browser",
            _ when host.EndsWith(".mozilla.com", StringComparison.Ordinal) => "Firefox",
            _ when host.EndsWith("push.apple.com", StringComparison.Ordinal) => "Safari (iPhone, iPad or Mac)",
            _ when host.EndsWith(".notify.windows.com", StringComparison.Ordinal) => "Edge on Windows",
            _ => "A browser using " + (host.Length > 60 ? host[..60] : host),
        };
    }

    // base64url only (padding tolerated and dropped), exactly `length` bytes once decoded.
    private static string? Canonical(string? value, int length, out byte[] bytes)
    {
        bytes = [];
        if (value is null || value.Length > 2 * length)
        {
            return null;
        }

        var trimmed = value.TrimEnd('=');
        if (value.Length - trimmed.Length > 2 || !trimmed.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return null;
        }

        try
        {
            bytes = Base64Url.DecodeFromChars(trimmed);
        }
        catch (FormatException)
        {
            return null;
        }

        return bytes.Length == length ? Base64Url.EncodeToString(bytes) : null;
    }

    private static bool IsOnP256(byte[] point)
    {
        try
        {
            using var key = ECDiffieHellman.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = point[1..33], Y = point[33..] },
            });
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
