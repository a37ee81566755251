using System.Buffers.Binary;

namespace Framework.Serialization.Table;

/// <summary>Varint and fixed-width encodings of the table format (all little-endian).</summary>
internal static class Coding
{
    /// <summary>Appends a varint of up to 64 bits.</summary>
    public static void WriteVarint(List<byte> output, ulong value)
    {
        while (value >= 0x80)
        {
            output.Add((byte)(value | 0x80));
            value >>= 7;
        }
        output.Add((byte)value);
    }

    /// <summary>Writes a varint into <paramref name="output"/> and returns the number of bytes written (at most 10).</summary>
    public static int WriteVarint(Span<byte> output, ulong value)
    {
        int i = 0;
        while (value >= 0x80)
        {
            output[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        output[i++] = (byte)value;
        return i;
    }

    /// <summary>The number of bytes of the varint encoding of <paramref name="value"/>.</summary>
    public static int VarintLength(ulong value)
    {
        int n = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            n++;
        }
        return n;
    }

    /// <summary>Appends a little-endian 32-bit value.</summary>
    public static void WriteFixed32(List<byte> output, uint value)
    {
        output.Add((byte)value);
        output.Add((byte)(value >> 8));
        output.Add((byte)(value >> 16));
        output.Add((byte)(value >> 24));
    }

    /// <summary>Reads a varint of at most <paramref name="maxBytes"/> bytes; false when truncated or too long.</summary>
    public static bool TryReadVarint(ReadOnlySpan<byte> data, ref int pos, out ulong value, int maxBytes = 10)
    {
        value = 0;
        for (int i = 0; i < maxBytes; i++)
        {
            if (pos >= data.Length)
                return false;
            byte b = data[pos++];
            if (i == 9 && b > 1)
                return false;
            value |= (ulong)(b & 0x7F) << (7 * i);
            if (b < 0x80)
                return maxBytes != 5 || value <= uint.MaxValue;
        }
        return false;
    }

    /// <summary>Reads a varint32 and checks it is at most <paramref name="max"/>; false otherwise.</summary>
    public static bool TryReadVarint32(ReadOnlySpan<byte> data, ref int pos, out int value, int max)
    {
        value = 0;
        if (!TryReadVarint(data, ref pos, out ulong v, 5) || v > (ulong)max)
            return false;
        value = (int)v;
        return true;
    }

    /// <summary>Reads a little-endian 32-bit value at <paramref name="pos"/>.</summary>
    public static uint ReadFixed32(ReadOnlySpan<byte> data, int pos) => BinaryPrimitives.ReadUInt32LittleEndian(data[pos..]);
}
