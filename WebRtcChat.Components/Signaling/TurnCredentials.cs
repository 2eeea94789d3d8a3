using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using WebRtcChat.Components.Configuration;

namespace WebRtcChat.Components.Signaling;

/// <summary>One entry of <c>RTCConfiguration.iceServers</c>.</summary>
public sealed record IceServer(
    [property: JsonPropertyName("urls")] IReadOnlyList<string> Urls,
    [property: JsonPropertyName("username"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Username = null,
    [property: JsonPropertyName("credential"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Credential = null);

/// <summary>What one party's browser gets to build its <c>RTCPeerConnection</c>.</summary>
public sealed record PeerConfiguration(
    [property: JsonPropertyName("iceServers")] IReadOnlyList<IceServer> IceServers,
    [property: JsonPropertyName("iceTransportPolicy")] string IceTransportPolicy,
    [property: JsonPropertyName("polite")] bool Polite);

/// <summary>
/// Ephemeral TURN credentials, as coturn checks them with <c>use-auth-secret</c> (the "TURN REST API"):
/// the username is <c>&lt;unix expiry&gt;:&lt;random id&gt;</c> and the password is
/// <c>base64(HMAC-SHA1(shared secret, username))</c>. A fresh pair is minted for each party of each call, and the
/// shared secret itself never leaves the server.
/// </summary>
public static class TurnCredentials
{
    /// <summary>Mints a username and password valid for <c>Ice.TurnCredentialLifetime</c> from <paramref name="now"/>.</summary>
    public static (string Username, string Password) Mint(IceOptions ice, DateTimeOffset now)
    {
        var expiry = now.Add(ice.TurnCredentialLifetime).ToUnixTimeSeconds();
        var username = $"{expiry}:{Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant()}";
        return (username, Password(ice.TurnSharedSecret, username));
    }

    /// <summary>The password coturn expects for <paramref name="username"/>.</summary>
#pragma warning disable CA5350 // HMAC-SHA1 is what coturn's use-auth-secret checks; the choice is not ours.
    public static string Password(string sharedSecret, string username) =>
        Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(sharedSecret), Encoding.UTF8.GetBytes(username)));
#pragma warning restore CA5350

    /// <summary>How long credentials minted for a connectivity check (not a call) are valid.</summary>
    public static readonly TimeSpan CheckLifetime = TimeSpan.FromMinutes(2);

    /// <summary>The ICE configuration for a connectivity check: as for a call, with credentials that expire soon.</summary>
    public static PeerConfiguration ForCheck(IceOptions ice, DateTimeOffset now) =>
        ForParty(ice with { TurnCredentialLifetime = CheckLifetime < ice.TurnCredentialLifetime ? CheckLifetime : ice.TurnCredentialLifetime }, now, polite: false);

    /// <summary>The ICE configuration for one party: STUN as configured, TURN with fresh credentials.</summary>
    public static PeerConfiguration ForParty(IceOptions ice, DateTimeOffset now, bool polite)
    {
        var servers = new List<IceServer>();
        if (ice.StunServers.Count > 0)
        {
            servers.Add(new IceServer(ice.StunServers));
        }

        if (ice.TurnServers.Count > 0)
        {
            var (username, password) = Mint(ice, now);
            servers.Add(new IceServer(ice.TurnServers, username, password));
        }

        return new PeerConfiguration(servers, ice.RelayOnly ? "relay" : "all", polite);
    }
}
