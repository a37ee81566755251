namespace Framework.Serialization.Table;

/// <summary>The location of a block in a table file: offset and size of its contents, excluding the 5-byte trailer.</summary>
internal readonly record struct BlockHandle(ulong Offset, ulong Size)
{
    /// <summary>The longest encoding: two 10-byte varints.</summary>
    public const int MaxEncodedLength = 20;

    /// <summary>Appends the encoding: varint64 offset, varint64 size.</summary>
    public void EncodeTo(List<byte> output)
    {
        Coding.WriteVarint(output, Offset);
        Coding.WriteVarint(output, Size);
    }

    /// <summary>Decodes a handle at <paramref name="pos"/>; false when the bytes are not two valid varints.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, ref int pos, out BlockHandle handle)
    {
        handle = default;
        if (!Coding.TryReadVarint(data, ref pos, out ulong offset) || !Coding.TryReadVarint(data, ref pos, out ulong size))
            return false;
        handle = new BlockHandle(offset, size);
        return true;
    }
}
