using System.Buffers.Binary;
using System.Collections;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using System.Text;

namespace WebRtcChat.Tests.Infrastructure;

/// <summary>
/// Writes small MaxMind DB (<c>.mmdb</c>) files for tests, following the MaxMind DB File Format Specification 2.0:
/// an IPv6 search tree with 24-bit records, IPv4 networks under <c>::/96</c>, 16 zero bytes, the data section, then
/// the metadata after the <c>\xAB\xCD\xEFMaxMind.com</c> marker. Real GeoLite2 files cannot be committed (licence)
/// and would not map the loopback addresses tests connect from, so the fixtures are written here instead.
/// </summary>
public sealed class MaxMindDbWriter(string databaseType)
{
    private const int RecordSize = 24;
    private const int DataSectionSeparatorSize = 16;
    private static readonly byte[] MetadataMarker = [0xAB, 0xCD, 0xEF, .. "MaxMind.com"u8];

    private readonly TrieNode _root = new();
    private readonly List<object> _records = [];

    public string DatabaseType { get; } = databaseType;

    public IReadOnlyList<string> Languages { get; init; } = ["en"];

    public DateTimeOffset BuildTime { get; init; } = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Maps a network in CIDR notation (IPv4 or IPv6) to a record. Networks must not overlap: a later one replaces whatever part of the tree it crosses.</summary>
    public MaxMindDbWriter Add(string network, IDictionary<string, object> record)
    {
        var (bits, prefixLength) = ParseNetwork(network);
        _records.Add(record);
        var leaf = new Slot.Data(_records.Count - 1);
        var node = _root;
        for (var depth = 0; depth < prefixLength - 1; depth++)
        {
            var bit = Bit(bits, depth);
            if (node.Children[bit] is not Slot.Inner inner)
            {
                inner = new Slot.Inner(new TrieNode());
                node.Children[bit] = inner;
            }

            node = inner.Node;
        }

        node.Children[Bit(bits, prefixLength - 1)] = leaf;
        return this;
    }

    public void Write(string path) => File.WriteAllBytes(path, ToBytes());

    public byte[] ToBytes()
    {
        // Number the nodes breadth first; the root must be node 0.
        var nodes = new List<TrieNode>();
        var numbers = new Dictionary<TrieNode, int>(ReferenceEqualityComparer.Instance);
        var queue = new Queue<TrieNode>([_root]);
        while (queue.TryDequeue(out var node))
        {
            numbers[node] = nodes.Count;
            nodes.Add(node);
            foreach (var child in node.Children)
            {
                if (child is Slot.Inner inner)
                {
                    queue.Enqueue(inner.Node);
                }
            }
        }

        var data = new DataSectionEncoder();
        var recordOffsets = _records.Select(data.Encode).ToArray();
        var nodeCount = nodes.Count;

        using var output = new MemoryStream();
        Span<byte> node6 = stackalloc byte[RecordSize * 2 / 8];
        foreach (var node in nodes)
        {
            WriteUInt24(node6[..3], RecordValue(node.Children[0]));
            WriteUInt24(node6[3..], RecordValue(node.Children[1]));
            output.Write(node6);
        }

        output.Write(new byte[DataSectionSeparatorSize]);
        output.Write(data.ToArray());
        output.Write(MetadataMarker);
        output.Write(new DataSectionEncoder().EncodeToArray(new Dictionary<string, object>
        {
            ["node_count"] = (uint)nodeCount,
            ["record_size"] = (ushort)RecordSize,
            ["ip_version"] = (ushort)6,
            ["database_type"] = DatabaseType,
            ["languages"] = Languages.ToArray<object>(),
            ["binary_format_major_version"] = (ushort)2,
            ["binary_format_minor_version"] = (ushort)0,
            ["build_epoch"] = (ulong)BuildTime.ToUnixTimeSeconds(),
            ["description"] = new Dictionary<string, object> { ["en"] = $"WebRtcChat test database ({DatabaseType})" },
        }));
        return output.ToArray();

        // A record is a node number, node_count for "no data", or a data pointer shifted past the tree and separator.
        uint RecordValue(Slot? slot) => slot switch
        {
            Slot.Inner inner => (uint)numbers[inner.Node],
            Slot.Data leaf => (uint)(nodeCount + DataSectionSeparatorSize + recordOffsets[leaf.Index]),
            _ => (uint)nodeCount,
        };
    }

    private static (byte[] Bits, int PrefixLength) ParseNetwork(string network)
    {
        var slash = network.IndexOf('/', StringComparison.Ordinal);
        var address = IPAddress.Parse(slash < 0 ? network : network[..slash]);
        var isV4 = address.AddressFamily == AddressFamily.InterNetwork;
        var length = slash < 0 ? (isV4 ? 32 : 128) : int.Parse(network[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        if (length < 1 || length > (isV4 ? 32 : 128))
        {
            throw new ArgumentOutOfRangeException(nameof(network), network, "prefix length out of range");
        }

        // The spec places IPv4 in an IPv6 tree at ::a.b.c.d, i.e. below 96 zero bits.
        var bits = new byte[16];
        address.GetAddressBytes().CopyTo(bits, isV4 ? 12 : 0);
        return (bits, isV4 ? length + 96 : length);
    }

    private static int Bit(byte[] bits, int index) => (bits[index / 8] >> (7 - (index % 8))) & 1;

    private static void WriteUInt24(Span<byte> target, uint value)
    {
        if (value > 0xFF_FFFF)
        {
            throw new InvalidOperationException("database too large for 24-bit records");
        }

        target[0] = (byte)(value >> 16);
        target[1] = (byte)(value >> 8);
        target[2] = (byte)value;
    }

    private sealed class TrieNode
    {
        public Slot?[] Children { get; } = new Slot?[2];
    }

    private abstract record Slot
    {
        public sealed record Inner(TrieNode Node) : Slot;

        public sealed record Data(int Index) : Slot;
    }

    /// <summary>The spec's data types: a control byte (type in the top 3 bits, size in the low 5), then the payload.</summary>
    private sealed class DataSectionEncoder
    {
        private const int TypeUtf8 = 2, TypeDouble = 3, TypeBytes = 4, TypeUInt16 = 5, TypeUInt32 = 6, TypeMap = 7;
        private const int TypeInt32 = 8, TypeUInt64 = 9, TypeArray = 11, TypeBoolean = 14, TypeFloat = 15;

        private readonly MemoryStream _buffer = new();

        public int Encode(object value)
        {
            var offset = (int)_buffer.Length;
            Write(value);
            return offset;
        }

        public byte[] EncodeToArray(object value)
        {
            Write(value);
            return _buffer.ToArray();
        }

        public byte[] ToArray() => _buffer.ToArray();

        private void Write(object value)
        {
            switch (value)
            {
                case string text:
                    var utf8 = Encoding.UTF8.GetBytes(text);
                    WriteControl(TypeUtf8, utf8.Length);
                    _buffer.Write(utf8);
                    break;
                case bool flag:
                    WriteControl(TypeBoolean, flag ? 1 : 0);
                    break;
                case double number:
                    WriteControl(TypeDouble, 8);
                    Span<byte> d = stackalloc byte[8];
                    BinaryPrimitives.WriteDoubleBigEndian(d, number);
                    _buffer.Write(d);
                    break;
                case float number:
                    WriteControl(TypeFloat, 4);
                    Span<byte> f = stackalloc byte[4];
                    BinaryPrimitives.WriteSingleBigEndian(f, number);
                    _buffer.Write(f);
                    break;
                case ushort number:
                    WriteUnsigned(TypeUInt16, number);
                    break;
                case uint number:
                    WriteUnsigned(TypeUInt32, number);
                    break;
                case ulong number:
                    WriteUnsigned(TypeUInt64, number);
                    break;
                case int number:
                    WriteControl(TypeInt32, 4);
                    Span<byte> i = stackalloc byte[4];
                    BinaryPrimitives.WriteInt32BigEndian(i, number);
                    _buffer.Write(i);
                    break;
                case byte[] bytes:
                    WriteControl(TypeBytes, bytes.Length);
                    _buffer.Write(bytes);
                    break;
                case IDictionary<string, object> map:
                    WriteControl(TypeMap, map.Count);
                    foreach (var (key, item) in map)
                    {
                        Write(key);
                        Write(item);
                    }

                    break;
                case IEnumerable items:
                    var list = items.Cast<object>().ToList();
                    WriteControl(TypeArray, list.Count);
                    list.ForEach(Write);
                    break;
                default:
                    throw new NotSupportedException($"MaxMind DB has no type for {value.GetType()}");
            }
        }

        // Unsigned integers are big-endian with leading zero bytes left out; the size says how many bytes remain.
        private void WriteUnsigned(int type, ulong number)
        {
            Span<byte> all = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(all, number);
            var significant = all[(BitOperations.LeadingZeroCount(number) / 8)..];
            WriteControl(type, significant.Length);
            _buffer.Write(significant);
        }

        private void WriteControl(int type, int size)
        {
            // Types above 7 are "extended": 0 in the control byte, then a byte holding type - 7.
            var control = (type <= 7 ? type : 0) << 5;
            byte[] sizeBytes;
            if (size < 29)
            {
                control |= size;
                sizeBytes = [];
            }
            else if (size < 29 + 256)
            {
                control |= 29;
                sizeBytes = [(byte)(size - 29)];
            }
            else if (size < 285 + 65536)
            {
                control |= 30;
                sizeBytes = [(byte)((size - 285) >> 8), (byte)(size - 285)];
            }
            else
            {
                control |= 31;
                var rest = size - 65821;
                sizeBytes = [(byte)(rest >> 16), (byte)(rest >> 8), (byte)rest];
            }

            _buffer.WriteByte((byte)control);
            if (type > 7)
            {
                _buffer.WriteByte((byte)(type - 7));
            }

            _buffer.Write(sizeBytes);
        }
    }
}
