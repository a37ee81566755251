using System.Runtime.InteropServices;
using System.Text;
using Framework.Serialization.Protos;
using Framework.Serialization.Table;
using Framework.Tensors;
using Google.Protobuf;

namespace Framework.Serialization;

/// <summary>Writes a TensorFlow checkpoint bundle (<c>P.index</c> + <c>P.data-SSSSS-of-NNNNN</c>) atomically.</summary>
/// <remarks>
/// <para>Tensor bytes are streamed to temporary data files as they are added, in the order added (TensorFlow's
/// object-based saver adds them in object-graph order, the object graph last). <see cref="Finish"/> writes the index with
/// TensorFlow's table options, so the same entries give byte-identical files, then flushes everything to disk and renames
/// the temporaries into place, data files first and the index last. A failure at any point throws and deletes the
/// temporaries; files already under the final names are only replaced by complete ones. Overwriting an existing prefix
/// is crash-safe too: the current bundle stays reachable under the recovery prefix <c>P.previous</c> (hard links) until
/// the new one is complete, and every reader of this framework falls back to it when a crash left <c>P</c> mixed
/// (<see cref="BundleRecovery"/>). The writer also removes temporaries that killed saves left in its directory
/// (<see cref="AtomicFile.RemoveLeftovers"/>).</para>
/// <para>Disposing an unfinished writer discards it. Instances are not thread-safe.</para>
/// </remarks>
/// <example>
/// <code>
/// using (var writer = new TensorBundleWriter("runs/ckpt-1"))
/// {
///     writer.Add&lt;float&gt;("dense/kernel", new Shape(3, 4), kernel);
///     writer.Finish();
/// }
/// </code>
/// </example>
public sealed class TensorBundleWriter : IDisposable
{
    private readonly Func<string, Stream, Stream>? _wrapStream;
    private readonly string[] _tempPaths;
    private readonly Stream?[] _data;
    private readonly FileStream?[] _files;
    private readonly long[] _sizes;
    private readonly Dictionary<string, BundleEntryProto> _entries = new(StringComparer.Ordinal);
    private string? _indexTemp;
    private int _committedShards;
    private bool _finished;
    private bool _failed;

    /// <summary>Starts a bundle with prefix <paramref name="prefix"/>; its directory is created if needed.</summary>
    /// <param name="prefix">The checkpoint prefix, e.g. <c>runs/ckpt-3</c>.</param>
    /// <param name="shardCount">The number of data files, 1 to 99999; tensors choose theirs with the <c>shard</c> argument.</param>
    /// <exception cref="ArgumentException"><paramref name="prefix"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shardCount"/> is outside 1 to 99999.</exception>
    public TensorBundleWriter(string prefix, int shardCount = 1)
        : this(prefix, shardCount, null)
    {
    }

    /// <summary>Test hook: <paramref name="wrapStream"/> wraps each file stream (given its final path), e.g. to inject failures.</summary>
    internal TensorBundleWriter(string prefix, int shardCount, Func<string, Stream, Stream>? wrapStream)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(shardCount, BundleNaming.MaxShards);
        Prefix = prefix;
        ShardCount = shardCount;
        _wrapStream = wrapStream;
        _tempPaths = new string[shardCount];
        _data = new Stream?[shardCount];
        _files = new FileStream?[shardCount];
        _sizes = new long[shardCount];
        string? directory = Path.GetDirectoryName(Path.GetFullPath(prefix));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
            AtomicFile.RemoveLeftovers(directory);
        }
    }

    /// <summary>The checkpoint prefix being written.</summary>
    public string Prefix { get; }

    /// <summary>The number of data files.</summary>
    public int ShardCount { get; }

    /// <summary>Appends a numeric or bool tensor given as its little-endian, row-major bytes.</summary>
    /// <param name="key">The tensor key; non-empty and unique within the bundle.</param>
    /// <param name="dtype">The element type.</param>
    /// <param name="shape">The shape; <paramref name="data"/> must hold <c>shape.Size × dtype.SizeInBytes()</c> bytes.</param>
    /// <param name="data">The tensor bytes.</param>
    /// <param name="shard">The data file to write to, 0 to <see cref="ShardCount"/> − 1.</param>
    /// <exception cref="ArgumentException">The key is empty or already added, or the byte count does not match the shape.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shard"/> is out of range.</exception>
    /// <exception cref="InvalidOperationException">The writer was finished, failed or disposed.</exception>
    /// <exception cref="IOException">Writing the data file failed; the writer is then unusable and its temporaries are deleted.</exception>
    public void Add(string key, DType dtype, Shape shape, ReadOnlySpan<byte> data, int shard = 0)
    {
        long expected = (long)shape.Size * dtype.SizeInBytes();
        if (data.Length != expected)
            Throw.Argument(nameof(data), $"Tensor '{key}' of shape {shape} and dtype {dtype.Name()} needs {expected} bytes; received {data.Length}.");
        Append(key, (int)dtype, shape, data, Crc32C.Compute(data), shard);
    }

    /// <summary>Appends a numeric or bool tensor given as a flat row-major span of values.</summary>
    /// <typeparam name="T">float, double, int, long, byte or bool.</typeparam>
    /// <inheritdoc cref="Add(string, DType, Shape, ReadOnlySpan{byte}, int)"/>
    public void Add<T>(string key, Shape shape, ReadOnlySpan<T> values, int shard = 0) where T : unmanaged =>
        Add(key, DTypeExtensions.Of<T>(), shape, MemoryMarshal.AsBytes(values), shard);

    /// <summary>Appends a <c>DT_STRING</c> tensor of byte strings (row-major), encoded as TensorFlow does with both checksums.</summary>
    /// <inheritdoc cref="Add(string, DType, Shape, ReadOnlySpan{byte}, int)"/>
    public void AddStrings(string key, Shape shape, IReadOnlyList<byte[]> values, int shard = 0)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != shape.Size)
            Throw.Argument(nameof(values), $"String tensor '{key}' of shape {shape} needs {shape.Size} elements; received {values.Count}.");
        byte[] payload = TensorPayloads.EncodeStrings(values, out uint crc);
        Append(key, DataTypes.String, shape, payload, crc, shard);
    }

    /// <summary>Appends a <c>DT_STRING</c> tensor of text, stored as UTF-8.</summary>
    /// <inheritdoc cref="Add(string, DType, Shape, ReadOnlySpan{byte}, int)"/>
    public void AddStrings(string key, Shape shape, IReadOnlyList<string> values, int shard = 0)
    {
        ArgumentNullException.ThrowIfNull(values);
        AddStrings(key, shape, values.Select(v => Encoding.UTF8.GetBytes(v)).ToArray(), shard);
    }

    /// <summary>Appends an already-encoded payload of any storable TensorFlow dtype, e.g. a <c>DT_VARIANT</c> copied from another bundle.</summary>
    /// <param name="key">The tensor key.</param>
    /// <param name="dataType">The TensorFlow <c>DataType</c> number.</param>
    /// <param name="shape">The shape.</param>
    /// <param name="payload">The stored bytes: the dense buffer, or the string/variant encoding, which is validated.</param>
    /// <param name="shard">The data file to write to.</param>
    /// <exception cref="ArgumentException">The dtype cannot be stored, or the payload does not match it and the shape.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shard"/> is out of range.</exception>
    /// <exception cref="InvalidOperationException">The writer was finished, failed or disposed.</exception>
    public void AddRaw(string key, int dataType, Shape shape, ReadOnlySpan<byte> payload, int shard = 0)
    {
        if (!DataTypes.IsStorable(dataType))
            Throw.Argument(nameof(dataType), $"Tensor '{key}': dtype {dataType} cannot be stored in a checkpoint.");
        uint crc;
        string? error = null;
        if (dataType == DataTypes.String)
        {
            TensorPayloads.TryDecodeStrings(payload, shape.Size, out crc, out error);
        }
        else if (dataType == DataTypes.Variant)
        {
            crc = TensorPayloads.TryVariantCrc(payload, shape.Size, out error) ?? 0;
        }
        else
        {
            int size = DataTypes.ElementSize(dataType);
            if (size > 0 && payload.Length != (long)shape.Size * size)
                error = $"{(long)shape.Size * size} bytes are needed for shape {shape}; received {payload.Length}";
            crc = Crc32C.Compute(payload);
        }
        if (error is not null)
            Throw.Argument(nameof(payload), $"Tensor '{key}' ({DataTypes.Name(dataType)}, shape {shape}): invalid payload: {error}.");
        Append(key, dataType, shape, payload, crc, shard);
    }

    /// <summary>Flushes the data files, writes the index and moves all files into place.</summary>
    /// <exception cref="InvalidOperationException">The writer was already finished, failed or disposed.</exception>
    /// <exception cref="IOException">Writing or renaming failed; the temporaries are deleted and files under the final names are left as they were or complete.</exception>
    public void Finish()
    {
        EnsureWritable();
        try
        {
            for (int i = 0; i < ShardCount; i++)
            {
                Stream data = OpenShard(i);
                data.Flush();
                AtomicFile.Fsync(_files[i]!);
                data.Dispose();
                _data[i] = null;
            }
            string indexPath = BundleNaming.IndexPath(Prefix);
            _indexTemp = AtomicFile.TempPathFor(indexPath);
            using (FileStream indexFile = AtomicFile.CreateTemp(_indexTemp))
            {
                using Stream index = Wrap(indexPath, indexFile);
                WriteIndex(index);
                index.Flush();
                AtomicFile.Fsync(indexFile);
            }
            // Replacing a bundle in place keeps the current one reachable under its recovery name until the new one is
            // complete (BundleRecovery); a new bundle needs no such copy: without its index, it does not exist yet.
            bool replacing = File.Exists(indexPath);
            if (replacing) BundleRecovery.Preserve(Prefix);
            var dataPaths = Enumerable.Range(0, ShardCount).Select(i => BundleNaming.DataPath(Prefix, i, ShardCount)).ToArray();
            try
            {
                // Data first, index last: the index names the data, so the bundle only "exists" once everything is in place.
                for (int i = 0; i < ShardCount; i++)
                {
                    AtomicFile.Commit(_tempPaths[i], dataPaths[i]);
                    _committedShards = i + 1;
                }
                AtomicFile.Commit(_indexTemp, indexPath);
            }
            catch when (!replacing)
            {
                // A new bundle whose index never appeared: its renamed data files are orphans, not a checkpoint.
                for (int i = 0; i < _committedShards; i++)
                    AtomicFile.TryDelete(dataPaths[i]);
                throw;
            }
            _finished = true;
            AtomicFile.SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(Prefix)));
            if (replacing) DiscardRecovery(dataPaths);
        }
        catch
        {
            Abort();
            throw;
        }
    }

    private void DiscardRecovery(string[] dataPaths)
    {
        try
        {
            BundleRecovery.Discard(Prefix, dataPaths);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The new bundle is complete and in place; a recovery pair left behind is verified away by readers and
            // removed by the next save of this prefix.
        }
    }

    /// <summary>Discards an unfinished bundle: closes and deletes the temporary files.</summary>
    public void Dispose()
    {
        if (!_finished)
            Abort();
        _finished = true;
    }

    private void Append(string key, int dataType, Shape shape, ReadOnlySpan<byte> payload, uint crc, int shard)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(shard, ShardCount);
        EnsureWritable();
        if (_entries.ContainsKey(key))
            Throw.Argument(nameof(key), $"Tensor key '{key}' was already added to checkpoint '{Prefix}'.");
        var proto = new BundleEntryProto
        {
            Dtype = dataType,
            Shape = new TensorShapeProto(),
            ShardId = shard,
            Offset = _sizes[shard],
            Size = payload.Length,
            Crc32C = Crc32C.Mask(crc),
        };
        foreach (int d in shape.Dims)
            proto.Shape.Dim.Add(new TensorShapeProto.Types.Dim { Size = d });
        try
        {
            OpenShard(shard).Write(payload);
        }
        catch
        {
            Abort();
            throw;
        }
        _sizes[shard] += payload.Length;
        _entries.Add(key, proto);
    }

    private void WriteIndex(Stream output)
    {
        var builder = new TableBuilder(output);
        var header = new BundleHeaderProto { NumShards = ShardCount, Version = new VersionDef { Producer = 1 } };
        builder.Add([], header.ToByteArray());
        var keys = _entries.Keys.Select(k => (Key: k, Bytes: Encoding.UTF8.GetBytes(k))).ToList();
        keys.Sort((a, b) => a.Bytes.AsSpan().SequenceCompareTo(b.Bytes));
        foreach (var (key, bytes) in keys)
            builder.Add(bytes, _entries[key].ToByteArray());
        builder.Finish();
    }

    private Stream OpenShard(int shard)
    {
        if (_data[shard] is { } open)
            return open;
        string final = BundleNaming.DataPath(Prefix, shard, ShardCount);
        // The file this one will replace stays intact until the rename; only its cached pages go (see PageCache).
        PageCache.Evict(final);
        _tempPaths[shard] = AtomicFile.TempPathFor(final);
        _files[shard] = AtomicFile.CreateTemp(_tempPaths[shard]);
        return _data[shard] = Wrap(final, _files[shard]!);
    }

    private Stream Wrap(string finalPath, FileStream stream) => _wrapStream is null ? stream : _wrapStream(finalPath, stream);

    private void EnsureWritable()
    {
        if (_finished || _failed)
            Throw.InvalidOperation($"The writer of checkpoint '{Prefix}' was already {(_failed ? "aborted after an error" : "finished or disposed")}; create a new one.");
    }

    private void Abort()
    {
        _failed = true;
        for (int i = 0; i < ShardCount; i++)
        {
            TryDispose(_data[i]);
            TryDispose(_files[i]);
            _data[i] = null;
            _files[i] = null;
            if (_tempPaths[i] is { } temp)
                AtomicFile.TryDelete(temp);
        }
        if (_indexTemp is not null)
            AtomicFile.TryDelete(_indexTemp);
    }

    private static void TryDispose(IDisposable? disposable)
    {
        try
        {
            disposable?.Dispose();
        }
        catch (IOException)
        {
            // Unwinding from the original error, which is the one to report; the file is deleted next.
        }
    }
}
