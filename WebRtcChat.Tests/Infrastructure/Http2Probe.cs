using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace WebRtcChat.Tests.Infrastructure;

/// <summary>
/// A one-request HTTP/2 client written frame by frame (RFC 9113, HPACK of RFC 7541 without Huffman coding), for
/// requests HttpClient will not send: no <c>:authority</c>, an empty one, a port past 65535.
/// </summary>
public static class Http2Probe
{
    private const byte Data = 0, Headers = 1, RstStream = 3, Settings = 4, Ping = 6, GoAway = 7, Continuation = 9;
    private const byte EndStream = 0x1, Ack = 0x1, EndHeaders = 0x4, Padded = 0x8, Priority = 0x20;

    private static readonly string[] StaticNames =
    [
        "", ":authority", ":method", ":method", ":path", ":path", ":scheme", ":scheme", ":status", ":status", ":status",
        ":status", ":status", ":status", ":status", "accept-charset", "accept-encoding", "accept-language", "accept-ranges",
        "accept", "access-control-allow-origin", "age", "allow", "authorization", "cache-control", "content-disposition",
        "content-encoding", "content-language", "content-length", "content-location", "content-range", "content-type",
        "cookie", "date", "etag", "expect", "expires", "from", "host", "if-match", "if-modified-since", "if-none-match",
        "if-range", "if-unmodified-since", "last-modified", "link", "location", "max-forwards", "proxy-authenticate",
        "proxy-authorization", "range", "referer", "refresh", "retry-after", "server", "set-cookie",
        "strict-transport-security", "transfer-encoding", "user-agent", "vary", "via", "www-authenticate",
    ];

    private static readonly Dictionary<int, string> StaticValues = new()
    {
        [2] = "GET", [3] = "POST", [4] = "/", [5] = "/index.html", [6] = "http", [7] = "https", [8] = "200", [9] = "204",
        [10] = "206", [11] = "304", [12] = "400", [13] = "404", [14] = "500", [16] = "gzip, deflate",
    };

    /// <summary>Sends one request with exactly these header fields, in this order, and reads its answer.</summary>
    public static async Task<RawResponse> SendAsync(int port, IPAddress from, IEnumerable<(string Name, string Value)> fields)
    {
        await using var stream = await RawHttp.ConnectAsync(port, from, alpn: "h2");
        await stream.WriteAsync("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray());
        await WriteFrameAsync(stream, Settings, 0, 0, []);
        var block = new List<byte>();
        foreach (var (name, value) in fields)
        {
            block.Add(0x00); // literal without indexing, new name
            WriteString(block, name);
            WriteString(block, value);
        }

        await WriteFrameAsync(stream, Headers, EndHeaders | EndStream, 1, [.. block]);
        return await ReadAnswerAsync(stream);
    }

    private static async Task<RawResponse> ReadAnswerAsync(Stream stream)
    {
        var decoder = new HpackDecoder();
        var headerBlock = new List<byte>();
        Dictionary<string, string>? headers = null;
        var body = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var head = new byte[9];
            if (!await ReadExactlyAsync(stream, head, timeout.Token))
            {
                return headers is null ? RawResponse.Closed : Answer(headers, body);
            }

            var length = (head[0] << 16) | (head[1] << 8) | head[2];
            var (type, flags) = (head[3], head[4]);
            var streamId = BinaryPrimitives.ReadInt32BigEndian(head.AsSpan(5)) & 0x7FFFFFFF;
            var payload = new byte[length];
            if (!await ReadExactlyAsync(stream, payload, timeout.Token))
            {
                return RawResponse.Closed;
            }

            switch (type)
            {
                case Settings when (flags & Ack) == 0:
                    await WriteFrameAsync(stream, Settings, Ack, 0, []);
                    break;
                case Ping when (flags & Ack) == 0:
                    await WriteFrameAsync(stream, Ping, Ack, 0, payload);
                    break;
                case GoAway or RstStream when headers is null:
                    return RawResponse.Closed;
                case Headers or Continuation when streamId == 1:
                    headerBlock.AddRange(FragmentOf(type, flags, payload));
                    if ((flags & EndHeaders) != 0)
                    {
                        headers = decoder.Decode([.. headerBlock]);
                        headerBlock.Clear();
                    }

                    if ((flags & EndStream) != 0)
                    {
                        return Answer(headers ?? [], body);
                    }

                    break;
                case Data when streamId == 1:
                    body.Append(Encoding.UTF8.GetString(FragmentOf(type, flags, payload)));
                    if ((flags & EndStream) != 0)
                    {
                        return Answer(headers ?? [], body);
                    }

                    break;
            }
        }
    }

    private static RawResponse Answer(Dictionary<string, string> headers, StringBuilder body) =>
        new(int.Parse(headers.GetValueOrDefault(":status", "-1"), System.Globalization.CultureInfo.InvariantCulture), headers, body.ToString());

    // The part of a HEADERS or DATA payload that is the content: without padding and priority fields.
    private static byte[] FragmentOf(byte type, byte flags, byte[] payload)
    {
        var start = 0;
        var end = payload.Length;
        if (type is Headers or Data && (flags & Padded) != 0)
        {
            end -= payload[0];
            start = 1;
        }

        if (type == Headers && (flags & Priority) != 0)
        {
            start += 5;
        }

        return payload[start..end];
    }

    private static async Task<bool> ReadExactlyAsync(Stream stream, byte[] buffer, CancellationToken cancel)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer, cancel);
            return true;
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task WriteFrameAsync(Stream stream, byte type, int flags, int streamId, byte[] payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = (byte)flags;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), streamId);
        payload.CopyTo(frame, 9);
        await stream.WriteAsync(frame);
        await stream.FlushAsync();
    }

    private static void WriteString(List<byte> block, string text)
    {
        var bytes = Encoding.Latin1.GetBytes(text);
        WriteInteger(block, bytes.Length, 7, 0x00);
        block.AddRange(bytes);
    }

    private static void WriteInteger(List<byte> block, int value, int prefixBits, byte flags)
    {
        var max = (1 << prefixBits) - 1;
        if (value < max)
        {
            block.Add((byte)(flags | value));
            return;
        }

        block.Add((byte)(flags | max));
        for (value -= max; value >= 0x80; value >>= 7)
        {
            block.Add((byte)((value & 0x7F) | 0x80));
        }

        block.Add((byte)value);
    }

    /// <summary>HPACK decoding with the dynamic table, for answers; Huffman-coded strings are refused.</summary>
    private sealed class HpackDecoder
    {
        private readonly List<(string Name, string Value)> _dynamic = [];

        public Dictionary<string, string> Decode(byte[] block)
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (var at = 0; at < block.Length;)
            {
                var first = block[at];
                if ((first & 0x80) != 0)
                {
                    var (name, value) = Entry(ReadInteger(block, ref at, 7));
                    headers[name] = value;
                }
                else if ((first & 0xE0) == 0x20)
                {
                    ReadInteger(block, ref at, 5); // a table size update: this decoder keeps every entry anyway
                }
                else
                {
                    var indexing = (first & 0xC0) == 0x40;
                    var index = ReadInteger(block, ref at, indexing ? 6 : 4);
                    var name = index == 0 ? ReadString(block, ref at) : Entry(index).Name;
                    var value = ReadString(block, ref at);
                    headers[name] = value;
                    if (indexing)
                    {
                        _dynamic.Insert(0, (name, value));
                    }
                }
            }

            return headers;
        }

        private (string Name, string Value) Entry(int index) =>
            index < StaticNames.Length ? (StaticNames[index], StaticValues.GetValueOrDefault(index, "")) : _dynamic[index - StaticNames.Length];

        private static int ReadInteger(byte[] block, ref int at, int prefixBits)
        {
            var max = (1 << prefixBits) - 1;
            var value = block[at++] & max;
            if (value < max)
            {
                return value;
            }

            for (var shift = 0; ; shift += 7)
            {
                var next = block[at++];
                value += (next & 0x7F) << shift;
                if ((next & 0x80) == 0)
                {
                    return value;
                }
            }
        }

        private static string ReadString(byte[] block, ref int at)
        {
            if ((block[at] & 0x80) != 0)
            {
                throw new NotSupportedException("The server sent a Huffman-coded header; this probe cannot read it.");
            }

            var length = ReadInteger(block, ref at, 7);
            var text = Encoding.Latin1.GetString(block, at, length);
            at += length;
            return text;
        }
    }
}
