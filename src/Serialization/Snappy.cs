using System.Buffers.Binary;

namespace Framework.Serialization;

/// <summary>Decompression of raw Snappy data (no framing), as found in compressed SSTable blocks (spec 1.3.7).</summary>
/// <remarks>
/// Hostile input is expected: the announced length is bounded by what the input could possibly expand to before anything
/// is allocated, every literal and copy is bounds-checked, and the loop consumes at least one byte per element.
/// </remarks>
internal static class Snappy
{
    // The best expansion an element can achieve: a 3-byte copy (2-byte offset) that produces 64 bytes.
    private const int MaxExpansion = 22;

    /// <summary>Decompresses <paramref name="input"/>; <paramref name="error"/> names the problem when it returns null.</summary>
    public static byte[]? TryDecompress(ReadOnlySpan<byte> input, out string? error)
    {
        error = null;
        int pos = 0;
        if (!TryReadVarint32(input, ref pos, out uint length))
            return Fail(out error, "the uncompressed length is not a valid varint");
        if (length > (ulong)input.Length * MaxExpansion)
            return Fail(out error, $"the announced uncompressed length {length} is impossible for {input.Length} compressed bytes");
        var output = new byte[length];
        int outPos = 0;
        while (pos < input.Length)
        {
            byte tag = input[pos++];
            int kind = tag & 3;
            long len;
            long offset = 0;
            if (kind == 0)
            {
                int n = tag >> 2;
                if (n < 60)
                {
                    len = n + 1;
                }
                else
                {
                    int bytes = n - 59;
                    if (pos + bytes > input.Length)
                        return Fail(out error, $"truncated literal length at byte {pos}");
                    uint v = 0;
                    for (int i = 0; i < bytes; i++)
                        v |= (uint)input[pos + i] << (8 * i);
                    pos += bytes;
                    len = (long)v + 1;
                }
                if (len > input.Length - pos)
                    return Fail(out error, $"literal of {len} bytes at byte {pos} runs past the end of the input");
                if (len > output.Length - outPos)
                    return Fail(out error, $"literal of {len} bytes overflows the announced length {length}");
                input.Slice(pos, (int)len).CopyTo(output.AsSpan(outPos));
                pos += (int)len;
                outPos += (int)len;
                continue;
            }
            if (kind == 1)
            {
                if (pos + 1 > input.Length)
                    return Fail(out error, $"truncated copy at byte {pos}");
                len = 4 + ((tag >> 2) & 7);
                offset = ((tag >> 5) << 8) | input[pos++];
            }
            else if (kind == 2)
            {
                if (pos + 2 > input.Length)
                    return Fail(out error, $"truncated copy at byte {pos}");
                len = (tag >> 2) + 1;
                offset = BinaryPrimitives.ReadUInt16LittleEndian(input[pos..]);
                pos += 2;
            }
            else
            {
                if (pos + 4 > input.Length)
                    return Fail(out error, $"truncated copy at byte {pos}");
                len = (tag >> 2) + 1;
                offset = BinaryPrimitives.ReadUInt32LittleEndian(input[pos..]);
                pos += 4;
            }
            if (offset == 0 || offset > outPos)
                return Fail(out error, $"copy offset {offset} at byte {pos} points before the start of the output ({outPos} bytes so far)");
            if (len > output.Length - outPos)
                return Fail(out error, $"copy of {len} bytes overflows the announced length {length}");
            // Source and destination may overlap (offset < len repeats a pattern), so copy forwards byte by byte.
            int src = outPos - (int)offset;
            for (int i = 0; i < len; i++)
                output[outPos + i] = output[src + i];
            outPos += (int)len;
        }
        if (outPos != output.Length)
            return Fail(out error, $"the data decompresses to {outPos} bytes but announces {length}");
        return output;
    }

    private static byte[]? Fail(out string? error, string message)
    {
        error = message;
        return null;
    }

    private static bool TryReadVarint32(ReadOnlySpan<byte> data, ref int pos, out uint value)
    {
        value = 0;
        for (int shift = 0; shift <= 28; shift += 7)
        {
            if (pos >= data.Length)
                return false;
            byte b = data[pos++];
            if (shift == 28 && b > 0x0F)
                return false;
            value |= (uint)(b & 0x7F) << shift;
            if (b < 0x80)
                return true;
        }
        return false;
    }
}
