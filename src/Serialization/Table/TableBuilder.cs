namespace Framework.Serialization.Table;

/// <summary>Writes a table exactly as TensorFlow's <c>TableBuilder</c> does with the bundle writer's options (spec 1.3.8).</summary>
/// <remarks>Same options and flush rules give byte-identical files, which the fixture tests check.</remarks>
internal sealed class TableBuilder
{
    private readonly Stream _output;
    private readonly int _blockSize;
    private readonly BlockBuilder _dataBlock = new(TableFormat.RestartInterval);
    private readonly BlockBuilder _indexBlock = new(1);
    private byte[] _lastKey = [];
    private long _offset;
    private long _entries;
    private bool _pendingIndexEntry;
    private BlockHandle _pendingHandle;

    /// <summary>Creates a builder writing to <paramref name="output"/> from its current position.</summary>
    public TableBuilder(Stream output, int blockSize = TableFormat.BlockSize)
    {
        _output = output;
        _blockSize = blockSize;
    }

    /// <summary>Appends an entry; keys must be strictly increasing in bytewise order.</summary>
    /// <exception cref="ArgumentException">The key is not greater than the previous key.</exception>
    public void Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        if (_entries > 0 && key.SequenceCompareTo(_lastKey) <= 0)
            Throw.Argument(nameof(key), "Table keys must be added in strictly increasing bytewise order.");
        // TensorFlow's own addition to LevelDB: a huge entry starts a block of its own.
        if (_entries > 0 && (long)key.Length + value.Length >= 2L * _blockSize)
            Flush();
        if (_pendingIndexEntry)
        {
            _indexBlock.Add(ShortestSeparator(_lastKey, key), EncodeHandle(_pendingHandle));
            _pendingIndexEntry = false;
        }
        _lastKey = key.ToArray();
        _entries++;
        _dataBlock.Add(key, value);
        if (_dataBlock.CurrentSizeEstimate >= _blockSize)
            Flush();
    }

    /// <summary>Writes the last data block, the empty metaindex block, the index block and the footer.</summary>
    public void Finish()
    {
        Flush();
        BlockHandle metaHandle = WriteBlock(new BlockBuilder(TableFormat.RestartInterval).Finish());
        if (_pendingIndexEntry)
        {
            _indexBlock.Add(ShortSuccessor(_lastKey), EncodeHandle(_pendingHandle));
            _pendingIndexEntry = false;
        }
        BlockHandle indexHandle = WriteBlock(_indexBlock.Finish());
        var footer = new List<byte>(TableFormat.FooterLength);
        metaHandle.EncodeTo(footer);
        indexHandle.EncodeTo(footer);
        while (footer.Count < TableFormat.FooterLength - 8)
            footer.Add(0);
        Coding.WriteFixed32(footer, unchecked((uint)TableFormat.Magic));
        Coding.WriteFixed32(footer, (uint)(TableFormat.Magic >> 32));
        _output.Write([.. footer]);
        _offset += footer.Count;
    }

    private void Flush()
    {
        if (_dataBlock.IsEmpty)
            return;
        _pendingHandle = WriteBlock(_dataBlock.Finish());
        _pendingIndexEntry = true;
    }

    private BlockHandle WriteBlock(byte[] contents)
    {
        var handle = new BlockHandle((ulong)_offset, (ulong)contents.Length);
        _output.Write(contents);
        Span<byte> trailer = stackalloc byte[TableFormat.TrailerLength];
        trailer[0] = TableFormat.NoCompression;
        uint crc = Crc32C.Append(Crc32C.Compute(contents), trailer[..1]);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(trailer[1..], Crc32C.Mask(crc));
        _output.Write(trailer);
        _offset += contents.Length + TableFormat.TrailerLength;
        return handle;
    }

    private static byte[] EncodeHandle(BlockHandle handle)
    {
        var bytes = new List<byte>(BlockHandle.MaxEncodedLength);
        handle.EncodeTo(bytes);
        return [.. bytes];
    }

    /// <summary>LevelDB's bytewise <c>FindShortestSeparator</c>: a short key in <c>[start, limit)</c>.</summary>
    public static byte[] ShortestSeparator(ReadOnlySpan<byte> start, ReadOnlySpan<byte> limit)
    {
        int minLength = Math.Min(start.Length, limit.Length);
        int i = 0;
        while (i < minLength && start[i] == limit[i])
            i++;
        if (i < minLength)
        {
            byte b = start[i];
            if (b < 0xFF && b + 1 < limit[i])
            {
                var result = start[..(i + 1)].ToArray();
                result[i]++;
                return result;
            }
        }
        return start.ToArray();
    }

    /// <summary>LevelDB's bytewise <c>FindShortSuccessor</c>: a short key that is ≥ <paramref name="key"/>.</summary>
    public static byte[] ShortSuccessor(ReadOnlySpan<byte> key)
    {
        for (int i = 0; i < key.Length; i++)
        {
            if (key[i] != 0xFF)
            {
                var result = key[..(i + 1)].ToArray();
                result[i]++;
                return result;
            }
        }
        return key.ToArray();
    }
}
