namespace Framework.Serialization.Table;

/// <summary>One key/value pair of a table; the value is a slice of its (decompressed) block.</summary>
internal readonly record struct TableEntry(byte[] Key, ReadOnlyMemory<byte> Value);

/// <summary>Reads a whole table (the <c>.index</c> file) from memory, verifying every structure it touches (spec 1.3).</summary>
/// <remarks>
/// Every offset and length is checked against the bytes actually present before it is used, every block's CRC is
/// verified, and keys must be strictly increasing; any violation is an <see cref="InvalidDataException"/> naming the file.
/// </remarks>
internal static class TableReader
{
    /// <summary>Returns every entry of the table in <paramref name="file"/>, in key order.</summary>
    /// <exception cref="InvalidDataException">The table is truncated or corrupt.</exception>
    public static List<TableEntry> ReadAll(string path, byte[] file)
    {
        if (file.Length < TableFormat.FooterLength)
            Throw.InvalidData(path, $"the file has {file.Length} bytes, fewer than the {TableFormat.FooterLength}-byte table footer.");
        int footerStart = file.Length - TableFormat.FooterLength;
        ReadOnlySpan<byte> footer = file.AsSpan(footerStart);
        ulong magic = Coding.ReadFixed32(footer, 40) | ((ulong)Coding.ReadFixed32(footer, 44) << 32);
        if (magic != TableFormat.Magic)
            Throw.InvalidData(path, $"bad table magic 0x{magic:x16} (expected 0x{TableFormat.Magic:x16}); this is not a TensorFlow .index file.");
        int pos = 0;
        ReadOnlySpan<byte> handles = footer[..40];
        bool handlesOk = BlockHandle.TryDecode(handles, ref pos, out BlockHandle meta);
        handlesOk &= BlockHandle.TryDecode(handles, ref pos, out BlockHandle index);
        if (!handlesOk)
            Throw.InvalidData(path, $"the footer at offset {footerStart} does not hold two valid block handles.");
        // TensorFlow writes no meta blocks, so the metaindex's entries are ignored, but a corrupt one still means a corrupt file.
        ParseBlock(path, ReadBlock(path, file, meta, footerStart, "metaindex"), meta.Offset, "metaindex");
        byte[] indexBlock = ReadBlock(path, file, index, footerStart, "index");

        var entries = new List<TableEntry>();
        byte[]? previousSeparator = null;
        foreach (TableEntry indexEntry in ParseBlock(path, indexBlock, index.Offset, "index"))
        {
            int hpos = 0;
            ReadOnlySpan<byte> value = indexEntry.Value.Span;
            if (!BlockHandle.TryDecode(value, ref hpos, out BlockHandle dataHandle) || hpos != value.Length)
                Throw.InvalidData(path, $"an index entry of the block at offset {index.Offset} is not a valid block handle.");
            byte[] block = ReadBlock(path, file, dataHandle, footerStart, "data");
            int before = entries.Count;
            foreach (TableEntry entry in ParseBlock(path, block, dataHandle.Offset, "data"))
            {
                if (entries.Count > 0 && entry.Key.AsSpan().SequenceCompareTo(entries[^1].Key) <= 0)
                    Throw.InvalidData(path, $"keys are not strictly increasing in the data block at offset {dataHandle.Offset}.");
                if (previousSeparator is not null && entry.Key.AsSpan().SequenceCompareTo(previousSeparator) <= 0)
                    Throw.InvalidData(path, $"a key in the data block at offset {dataHandle.Offset} is not above the previous block's index key.");
                entries.Add(entry);
            }
            if (entries.Count > before && entries[^1].Key.AsSpan().SequenceCompareTo(indexEntry.Key) > 0)
                Throw.InvalidData(path, $"the last key of the data block at offset {dataHandle.Offset} is above its index key.");
            previousSeparator = indexEntry.Key;
        }
        return entries;
    }

    private static void CheckBounds(string path, BlockHandle handle, int limit, string what)
    {
        if (handle.Offset > (ulong)limit || handle.Size > (ulong)limit || handle.Offset + handle.Size + TableFormat.TrailerLength > (ulong)limit)
            Throw.InvalidData(path, $"the {what} block (offset {handle.Offset}, size {handle.Size}) extends past the table contents, which end at offset {limit}.");
    }

    /// <summary>Reads a block's contents: bounds, trailer type, CRC over contents and type byte, Snappy if needed.</summary>
    private static byte[] ReadBlock(string path, byte[] file, BlockHandle handle, int limit, string what)
    {
        CheckBounds(path, handle, limit, what);
        int offset = (int)handle.Offset;
        int size = (int)handle.Size;
        ReadOnlySpan<byte> contents = file.AsSpan(offset, size);
        byte type = file[offset + size];
        uint stored = Coding.ReadFixed32(file, offset + size + 1);
        uint actual = Crc32C.Mask(Crc32C.Append(Crc32C.Compute(contents), file.AsSpan(offset + size, 1)));
        if (stored != actual)
            Throw.InvalidData(path, $"CRC mismatch in the {what} block at offset {offset} (stored 0x{stored:x8}, computed 0x{actual:x8}).");
        switch (type)
        {
            case TableFormat.NoCompression:
                return contents.ToArray();
            case TableFormat.SnappyCompression:
                byte[]? output = SnappyBlock.TryDecompress(contents, out string? error);
                if (output is null)
                    Throw.InvalidData(path, $"the Snappy-compressed {what} block at offset {offset} is invalid: {error}.");
                return output;
            default:
                Throw.InvalidData(path, $"unknown compression type {type} in the {what} block at offset {offset}.");
                return [];
        }
    }

    /// <summary>Decodes a block's entries, checking the restart array and every length.</summary>
    private static List<TableEntry> ParseBlock(string path, byte[] block, ulong blockOffset, string what)
    {
        if (block.Length < 4)
            Throw.InvalidData(path, $"the {what} block at offset {blockOffset} has {block.Length} bytes, too few for a restart count.");
        uint restartCount = Coding.ReadFixed32(block, block.Length - 4);
        if (restartCount == 0 || restartCount > (uint)(block.Length - 4) / 4)
            Throw.InvalidData(path, $"the {what} block at offset {blockOffset} claims {restartCount} restart points, impossible in {block.Length} bytes.");
        int restartsStart = block.Length - 4 - 4 * (int)restartCount;
        var entries = new List<TableEntry>();
        var entryStarts = new HashSet<int>();
        var sharedAt = new Dictionary<int, int>();
        byte[] key = [];
        int pos = 0;
        while (pos < restartsStart)
        {
            int start = pos;
            ReadOnlySpan<byte> region = block.AsSpan(0, restartsStart);
            bool ok = Coding.TryReadVarint32(region, ref pos, out int shared, key.Length)
                & Coding.TryReadVarint32(region, ref pos, out int nonShared, restartsStart)
                & Coding.TryReadVarint32(region, ref pos, out int valueLength, restartsStart);
            if (!ok || (long)nonShared + valueLength > restartsStart - pos)
                Throw.InvalidData(path, $"bad entry header at byte {start} of the {what} block at offset {blockOffset}.");
            var newKey = new byte[shared + nonShared];
            key.AsSpan(0, shared).CopyTo(newKey);
            block.AsSpan(pos, nonShared).CopyTo(newKey.AsSpan(shared));
            pos += nonShared;
            entries.Add(new TableEntry(newKey, block.AsMemory(pos, valueLength)));
            pos += valueLength;
            key = newKey;
            entryStarts.Add(start);
            sharedAt[start] = shared;
        }
        uint previous = 0;
        for (int i = 0; i < restartCount; i++)
        {
            uint restart = Coding.ReadFixed32(block, restartsStart + 4 * i);
            bool valid = entries.Count == 0
                ? restart == 0
                : entryStarts.Contains((int)Math.Min(restart, int.MaxValue)) && sharedAt[(int)restart] == 0 && (i == 0 ? restart == 0 : restart > previous);
            if (!valid)
                Throw.InvalidData(path, $"restart point {i} (byte {restart}) of the {what} block at offset {blockOffset} is not the start of an unshared entry.");
            previous = restart;
        }
        return entries;
    }
}
