using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace WebRtcChat.Server.Turn;

/// <summary>
/// The few STUN messages (RFC 5389) a TURN allocation needs (RFC 8656): a request with its attributes, long-term
/// credentials' MESSAGE-INTEGRITY, and what an answer carries (an error code, a realm and nonce, the relayed address).
/// </summary>
public sealed class StunMessage
{
    public const ushort AllocateRequest = 0x0003;
    public const ushort AllocateSuccess = 0x0103;
    public const ushort AllocateError = 0x0113;
    public const ushort RefreshRequest = 0x0004;

    public const ushort Username = 0x0006;
    public const ushort MessageIntegrity = 0x0008;
    public const ushort ErrorCode = 0x0009;
    public const ushort Lifetime = 0x000D;
    public const ushort Realm = 0x0014;
    public const ushort Nonce = 0x0015;
    public const ushort XorRelayedAddress = 0x0016;
    public const ushort RequestedTransport = 0x0019;

    private const uint MagicCookie = 0x2112A442;
    private const int HeaderLength = 20;

    private readonly List<(ushort Type, byte[] Value)> _attributes = [];

    public StunMessage(ushort type, byte[] transactionId)
    {
        (Type, TransactionId) = (type, transactionId);
    }

    public ushort Type { get; }

    public byte[] TransactionId { get; }

    public IReadOnlyList<(ushort Type, byte[] Value)> Attributes => _attributes;

    public static byte[] NewTransactionId() => RandomNumberGenerator.GetBytes(12);

    public StunMessage Add(ushort type, byte[] value)
    {
        _attributes.Add((type, value));
        return this;
    }

    public StunMessage Add(ushort type, string value) => Add(type, Encoding.UTF8.GetBytes(value));

    public byte[]? Find(ushort type) => _attributes.FirstOrDefault(a => a.Type == type).Value;

    public string? Text(ushort type) => Find(type) is { } value ? Encoding.UTF8.GetString(value) : null;

    /// <summary>The error code of an error response (e.g. 401), or null.</summary>
    public int? Error => Find(ErrorCode) is { Length: >= 4 } value ? (value[2] & 0x7) * 100 + value[3] : null;

    /// <summary>The error response's reason phrase, or null.</summary>
    public string? ErrorReason => Find(ErrorCode) is { Length: > 4 } value ? Encoding.UTF8.GetString(value, 4, value.Length - 4) : null;

    /// <summary>XOR-RELAYED-ADDRESS, decoded, or null.</summary>
    public IPEndPoint? RelayedAddress => Find(XorRelayedAddress) is { } value ? DecodeXorAddress(value, TransactionId) : null;

    /// <summary>The long-term credential key: MD5 of <c>username:realm:password</c>, as RFC 5389 section 15.4 defines it.</summary>
#pragma warning disable CA5351 // MD5 is what the STUN long-term credential mechanism specifies; the choice is not ours.
    public static byte[] LongTermKey(string username, string realm, string password) => MD5.HashData(Encoding.UTF8.GetBytes($"{username}:{realm}:{password}"));
#pragma warning restore CA5351

    /// <summary>The message on the wire; with a key, MESSAGE-INTEGRITY is appended (FINGERPRINT, optional, is not).</summary>
    public byte[] Encode(byte[]? key = null)
    {
        using var body = new MemoryStream();
        foreach (var (type, value) in _attributes)
        {
            WriteAttribute(body, type, value);
        }

        if (key is not null)
        {
            // The HMAC covers the message with its length already counting the MESSAGE-INTEGRITY attribute.
            var covered = Framed(body.ToArray(), extra: 24);
#pragma warning disable CA5350 // HMAC-SHA1 is what STUN's MESSAGE-INTEGRITY specifies.
            WriteAttribute(body, MessageIntegrity, HMACSHA1.HashData(key, covered));
#pragma warning restore CA5350
        }

        return Framed(body.ToArray(), extra: 0);
    }

    /// <summary>Reads one message; null when the bytes are not a STUN message.</summary>
    public static StunMessage? Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderLength || BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]) != MagicCookie)
        {
            return null;
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]);
        if (bytes.Length < HeaderLength + length)
        {
            return null;
        }

        var message = new StunMessage(BinaryPrimitives.ReadUInt16BigEndian(bytes), bytes[8..20].ToArray());
        var rest = bytes.Slice(HeaderLength, length);
        while (rest.Length >= 4)
        {
            var type = BinaryPrimitives.ReadUInt16BigEndian(rest);
            var size = BinaryPrimitives.ReadUInt16BigEndian(rest[2..]);
            if (rest.Length < 4 + size)
            {
                return null;
            }

            message.Add(type, rest.Slice(4, size).ToArray());
            rest = rest[Math.Min(rest.Length, 4 + ((size + 3) & ~3))..];
        }

        return message;
    }

    /// <summary>Whether these 20 bytes begin a STUN message (its magic cookie).</summary>
    public static bool IsHeader(ReadOnlySpan<byte> header) => header.Length >= HeaderLength && BinaryPrimitives.ReadUInt32BigEndian(header[4..]) == MagicCookie;

    /// <summary>The full length of the message whose 20-byte header starts <paramref name="header"/>.</summary>
    public static int LengthFromHeader(ReadOnlySpan<byte> header) => HeaderLength + BinaryPrimitives.ReadUInt16BigEndian(header[2..]);

    private byte[] Framed(byte[] body, int extra)
    {
        var message = new byte[HeaderLength + body.Length];
        BinaryPrimitives.WriteUInt16BigEndian(message, Type);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), (ushort)(body.Length + extra));
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(4), MagicCookie);
        TransactionId.CopyTo(message, 8);
        body.CopyTo(message, HeaderLength);
        return message;
    }

    private static void WriteAttribute(MemoryStream body, ushort type, byte[] value)
    {
        Span<byte> header = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16BigEndian(header, type);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)value.Length);
        body.Write(header);
        body.Write(value);
        body.Write(new byte[(4 - value.Length % 4) % 4]);
    }

    private static IPEndPoint? DecodeXorAddress(byte[] value, byte[] transactionId)
    {
        if (value.Length < 8)
        {
            return null;
        }

        var port = (ushort)(BinaryPrimitives.ReadUInt16BigEndian(value.AsSpan(2)) ^ (MagicCookie >> 16));
        var mask = new byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(mask, MagicCookie);
        transactionId.CopyTo(mask, 4);
        var length = value[1] == 0x01 ? 4 : value[1] == 0x02 && value.Length >= 20 ? 16 : 0;
        if (length == 0)
        {
            return null;
        }

        var address = new byte[length];
        for (var i = 0; i < length; i++)
        {
            address[i] = (byte)(value[4 + i] ^ mask[i]);
        }

        return new IPEndPoint(new IPAddress(address), port);
    }
}
