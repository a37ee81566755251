using System.Diagnostics.CodeAnalysis;
using System.Text;
using Framework.Serialization.Protos;
using Framework.Serialization.Table;
using Framework.Tensors;
using Google.Protobuf;
using Microsoft.Win32.SafeHandles;

namespace Framework.Serialization;

/// <summary>Reads a TensorFlow checkpoint bundle (<c>P.index</c> + <c>P.data-SSSSS-of-NNNNN</c>), verifying everything it reads.</summary>
/// <remarks>
/// <para>Opening reads and verifies the whole index (block CRCs, key order, header version, every entry's dtype, shape,
/// shard, offset and size against the real shard lengths), so a corrupt or hostile bundle fails before any tensor is
/// allocated. Reading a tensor verifies its CRC32C.</para>
/// <para>Corruption is reported as <see cref="InvalidDataException"/> naming the file and the key or offset; missing files
/// as <see cref="FileNotFoundException"/> with the path. Tensors may be read concurrently from several threads.</para>
/// </remarks>
/// <example>
/// <code>
/// using var reader = new TensorBundleReader("runs/ckpt-3");
/// float[] kernel = reader.Read&lt;float&gt;("layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE");
/// </code>
/// </example>
public sealed partial class TensorBundleReader : IDisposable
{
    private readonly Dictionary<string, BundleEntry> _byKey = new(StringComparer.Ordinal);
    private readonly BundleEntry[] _entries;
    private readonly string[] _shardPaths;
    private readonly SafeFileHandle?[] _shards;
    private readonly FileStamp[] _openedAs;
    private readonly Lock _openLock = new();
    private readonly bool _bigEndian;
    private bool _disposed;

    /// <summary>Opens the bundle with prefix <paramref name="prefix"/> and verifies its index.</summary>
    /// <param name="prefix">The checkpoint prefix, e.g. <c>runs/ckpt-3</c> (without <c>.index</c>).</param>
    /// <exception cref="ArgumentException"><paramref name="prefix"/> is empty.</exception>
    /// <exception cref="FileNotFoundException">The index or one of the data files does not exist.</exception>
    /// <exception cref="InvalidDataException">The index is corrupt, or an entry points outside its data file.</exception>
    public TensorBundleReader(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        Prefix = prefix;
        IndexPath = BundleNaming.IndexPath(prefix);
        if (!File.Exists(IndexPath))
            Throw.FileNotFound(IndexPath, "Checkpoint index file");
        List<TableEntry> table = TableReader.ReadAll(IndexPath, File.ReadAllBytes(IndexPath));
        if (table.Count == 0 || table[0].Key.Length != 0)
            Throw.InvalidData(IndexPath, "the first key is not the empty header key.");
        BundleHeaderProto header = ParseHeader(table[0].Value);
        _bigEndian = header.Endianness == BundleHeaderProto.Types.Endianness.Big;
        ShardCount = header.NumShards;
        _shardPaths = new string[ShardCount];
        _shards = new SafeFileHandle?[ShardCount];
        _openedAs = new FileStamp[ShardCount];
        var shardLengths = new long[ShardCount];
        for (int i = 0; i < ShardCount; i++)
        {
            _shardPaths[i] = BundleNaming.DataPath(prefix, i, ShardCount);
            var info = new FileInfo(_shardPaths[i]);
            if (!info.Exists)
                Throw.FileNotFound(_shardPaths[i], $"Data file {i} of {ShardCount} of checkpoint '{prefix}'");
            shardLengths[i] = info.Length;
        }
        _entries = new BundleEntry[table.Count - 1];
        for (int i = 1; i < table.Count; i++)
        {
            BundleEntry entry = ParseEntry(table[i], shardLengths);
            _entries[i - 1] = entry;
            _byKey.Add(entry.Key, entry);
        }
    }

    /// <summary>The checkpoint prefix this reader was opened with.</summary>
    public string Prefix { get; }

    /// <summary>The path of the index file, <c>Prefix + ".index"</c>.</summary>
    public string IndexPath { get; }

    /// <summary>The number of data files (<c>num_shards</c> of the header).</summary>
    public int ShardCount { get; }

    /// <summary>Every tensor entry in bytewise key order (the header is not included).</summary>
    public IReadOnlyList<BundleEntry> Entries => _entries;

    /// <summary>Whether the bundle has a tensor under <paramref name="key"/>.</summary>
    public bool Contains(string key) => _byKey.ContainsKey(key);

    /// <summary>Looks up the entry for <paramref name="key"/>.</summary>
    public bool TryGetEntry(string key, [MaybeNullWhen(false)] out BundleEntry entry) => _byKey.TryGetValue(key, out entry);

    /// <summary>The entry for <paramref name="key"/>.</summary>
    /// <exception cref="KeyNotFoundException">The bundle has no such key; the message names the key and the prefix.</exception>
    public BundleEntry GetEntry(string key) =>
        _byKey.TryGetValue(key, out var entry) ? entry : Throw.KeyNotFound<BundleEntry>(Prefix, key);

    /// <summary>Closes the data files.</summary>
    public void Dispose()
    {
        lock (_openLock)
        {
            _disposed = true;
            foreach (var handle in _shards)
                handle?.Dispose();
            Array.Clear(_shards);
        }
    }

    private BundleHeaderProto ParseHeader(ReadOnlyMemory<byte> value)
    {
        BundleHeaderProto header = ParseProto(BundleHeaderProto.Parser, value, "");
        if (header.NumShards < 1 || header.NumShards > BundleNaming.MaxShards)
            Throw.InvalidEntry(IndexPath, "", $"the header announces {header.NumShards} shards; expected 1 to {BundleNaming.MaxShards}.");
        if (header.Endianness is not (BundleHeaderProto.Types.Endianness.Little or BundleHeaderProto.Types.Endianness.Big))
            Throw.InvalidEntry(IndexPath, "", $"unknown endianness {(int)header.Endianness}.");
        // TensorFlow's version check for consumer version 1 (spec 1.4).
        VersionDef version = header.Version ?? new VersionDef();
        if (version.Producer < 0 || version.MinConsumer > 1 || version.BadConsumers.Contains(1))
            Throw.InvalidEntry(IndexPath, "", $"the bundle version (producer {version.Producer}, min_consumer {version.MinConsumer}) cannot be read by this version-1 reader.");
        return header;
    }

    private BundleEntry ParseEntry(TableEntry row, long[] shardLengths)
    {
        string key;
        try
        {
            key = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(row.Key);
        }
        catch (DecoderFallbackException)
        {
            Throw.InvalidData(IndexPath, $"key '{Convert.ToHexString(row.Key)}' (hex) is not valid UTF-8.");
            throw;
        }
        BundleEntryProto proto = ParseProto(BundleEntryProto.Parser, row.Value, key);
        if (!DataTypes.IsStorable(proto.Dtype))
            Throw.InvalidEntry(IndexPath, key, $"dtype {proto.Dtype} cannot be stored in a checkpoint.");
        (Shape shape, long elements) = ParseShape(proto.Shape, key);
        bool sliced = proto.Slices.Count > 0;
        if (!sliced)
        {
            if (proto.ShardId < 0 || proto.ShardId >= ShardCount)
                Throw.InvalidEntry(IndexPath, key, $"shard {proto.ShardId} does not exist; the bundle has {ShardCount}.");
            long length = shardLengths[proto.ShardId];
            if (proto.Offset < 0 || proto.Size < 0 || proto.Offset > length || proto.Size > length - proto.Offset)
                Throw.InvalidEntry(IndexPath, key, $"bytes [{proto.Offset}, {proto.Offset} + {proto.Size}) lie outside data file '{_shardPaths[proto.ShardId]}' of {length} bytes.");
            int elementSize = DataTypes.ElementSize(proto.Dtype);
            if (elementSize > 0 && proto.Size != elements * elementSize)
                Throw.InvalidEntry(IndexPath, key, $"size {proto.Size} does not match shape {shape} of {DataTypes.Name(proto.Dtype)} ({elements} x {elementSize} bytes).");
            if (elementSize == 0 && proto.Dtype is DataTypes.String or DataTypes.Variant && elements > proto.Size)
                Throw.InvalidEntry(IndexPath, key, $"{elements} elements cannot fit in {proto.Size} bytes.");
        }
        return new BundleEntry(key, proto.Dtype, shape, elements, proto.ShardId, proto.Offset, proto.Size, proto.Crc32C, sliced);
    }

    private (Shape Shape, long Elements) ParseShape(TensorShapeProto? proto, string key)
    {
        if (proto is null)
            return (Shape.Scalar, 1);
        if (proto.UnknownRank)
            Throw.InvalidEntry(IndexPath, key, "the shape has unknown rank.");
        var dims = new int[proto.Dim.Count];
        long elements = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            long d = proto.Dim[i].Size;
            if (d < 0 || d > int.MaxValue)
                Throw.InvalidEntry(IndexPath, key, $"dimension {i} has invalid size {d}.");
            dims[i] = (int)d;
            elements *= d;
            if (elements > int.MaxValue)
                Throw.InvalidEntry(IndexPath, key, $"the shape has more than {int.MaxValue} elements.");
        }
        return (new Shape(dims), elements);
    }

    private T ParseProto<T>(MessageParser<T> parser, ReadOnlyMemory<byte> value, string key) where T : IMessage<T>
    {
        try
        {
            return parser.ParseFrom(value.Span);
        }
        catch (InvalidProtocolBufferException e)
        {
            return Throw.InvalidEntry<T>(IndexPath, key, $"the index value is not a valid {typeof(T).Name}: {e.Message}");
        }
    }
}
