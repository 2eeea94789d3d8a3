using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using WebRtcChat.Components.Alerts;

namespace WebRtcChat.Tests.Infrastructure;

/// <summary>
/// A browser's side of a push subscription, owned by the test: its P-256 key pair and auth secret, and the
/// decryption a browser does (RFC 8291 over RFC 8188 <c>aes128gcm</c>), written out here rather than borrowed from
/// the library under test.
/// </summary>
public sealed class TestPushSubscription : IDisposable
{
    private readonly ECDiffieHellman _key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);

    public TestPushSubscription(string endpoint)
    {
        Endpoint = endpoint;
        var q = _key.ExportParameters(false).Q;
        PublicKey = [0x04, .. q.X!, .. q.Y!];
    }

    public string Endpoint { get; }

    public byte[] PublicKey { get; }

    public byte[] Auth { get; } = RandomNumberGenerator.GetBytes(16);

    /// <summary>The subscription as <c>PushSubscription.toJSON()</c> gives it to the page.</summary>
    public PushSubscriptionPayload Payload => new(Endpoint, new PushSubscriptionKeys(Base64Url.EncodeToString(PublicKey), Base64Url.EncodeToString(Auth)));

    /// <summary>The same as JSON, as the browser test's fake Push API returns it.</summary>
    public string Json => JsonSerializer.Serialize(new { endpoint = Endpoint, keys = new { p256dh = Base64Url.EncodeToString(PublicKey), auth = Base64Url.EncodeToString(Auth) } });

    /// <summary>Decrypts an <c>aes128gcm</c> body as the browser would; throws if anything does not check out.</summary>
    public string Decrypt(byte[] body)
    {
        // RFC 8188 §2.1: salt (16) | record size (4) | key id length (1) | key id (the sender's public key, 65).
        var salt = body[..16];
        var recordSize = (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(16, 4));
        var idLength = body[20];
        Assert.Equal(65, idLength);
        var senderPublic = body[21..(21 + idLength)];
        var records = body[(21 + idLength)..];

        // RFC 8291 §3.3-3.4: the ECDH secret and the auth secret make the input key for RFC 8188.
        using var sender = ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = senderPublic[1..33], Y = senderPublic[33..] },
        });
        var ecdhSecret = _key.DeriveRawSecretAgreement(sender.PublicKey);
        byte[] keyInfo = [.. "WebPush: info"u8, 0, .. PublicKey, .. senderPublic];
        var ikm = HKDF.DeriveKey(HashAlgorithmName.SHA256, ecdhSecret, 32, Auth, keyInfo);

        // RFC 8188 §2.2-2.3: the content key and the nonce base.
        var cek = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 16, salt, [.. "Content-Encoding: aes128gcm"u8, 0]);
        var nonceBase = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 12, salt, [.. "Content-Encoding: nonce"u8, 0]);

        using var aes = new AesGcm(cek, 16);
        var plain = new List<byte>();
        var count = (records.Length + recordSize - 1) / recordSize;
        for (var i = 0; i < count; i++)
        {
            var record = records[(i * recordSize)..Math.Min(records.Length, (i + 1) * recordSize)];
            var nonce = (byte[])nonceBase.Clone();
            var sequence = new byte[12];
            BinaryPrimitives.WriteUInt64BigEndian(sequence.AsSpan(4), (ulong)i);
            for (var j = 0; j < 12; j++)
            {
                nonce[j] ^= sequence[j];
            }

            var text = new byte[record.Length - 16];
            aes.Decrypt(nonce, record[..^16], record[^16..], text);

            // §2: the padding delimiter (2 in the last record, 1 before), then zeros.
            var end = Array.FindLastIndex(text, b => b != 0);
            Assert.True(end >= 0, "a record with no padding delimiter");
            Assert.Equal(i == count - 1 ? (byte)2 : (byte)1, text[end]);
            plain.AddRange(text[..end]);
        }

        return Encoding.UTF8.GetString([.. plain]);
    }

    public void Dispose() => _key.Dispose();
}
