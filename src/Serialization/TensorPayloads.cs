using System.Buffers.Binary;
using Framework.Serialization.Table;

namespace Framework.Serialization;

/// <summary>The payload encodings of <c>DT_STRING</c> (spec 1.5.4) and <c>DT_VARIANT</c> (spec 1.5.5) tensors and their CRCs.</summary>
internal static class TensorPayloads
{
    /// <summary>Encodes string elements: varint lengths, masked CRC of the lengths, then the bytes. Returns the entry CRC (unmasked).</summary>
    public static byte[] EncodeStrings(IReadOnlyList<byte[]> values, out uint crc)
    {
        long total = 4;
        foreach (byte[] v in values)
            total += Coding.VarintLength((ulong)v.Length) + v.Length;
        if (total > Array.MaxLength)
            Throw.Argument(nameof(values), $"The string tensor would need {total} bytes, more than one array can hold.");
        var payload = new byte[total];
        int pos = 0;
        uint lengthCrc = 0;
        Span<byte> scratch = stackalloc byte[8];
        foreach (byte[] v in values)
        {
            pos += Coding.WriteVarint(payload.AsSpan(pos), (ulong)v.Length);
            lengthCrc = Crc32C.Append(lengthCrc, LengthBytes(scratch, (ulong)v.Length));
        }
        // The entry CRC covers the lengths (as fixed-width integers), then the stored checksum, then the bytes.
        crc = lengthCrc;
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(pos), Crc32C.Mask(lengthCrc));
        crc = Crc32C.Append(crc, payload.AsSpan(pos, 4));
        pos += 4;
        int bytesStart = pos;
        foreach (byte[] v in values)
        {
            v.CopyTo(payload, pos);
            pos += v.Length;
        }
        crc = Crc32C.Append(crc, payload.AsSpan(bytesStart));
        return payload;
    }

    /// <summary>Decodes a string payload of <paramref name="count"/> elements; null with an error message when malformed.</summary>
    /// <param name="payload">The stored bytes.</param>
    /// <param name="count">The element count from the entry's shape; at most <c>payload.Length</c>.</param>
    /// <param name="crc">The entry CRC (unmasked) computed over the payload.</param>
    /// <param name="error">What is wrong when the result is null.</param>
    public static byte[][]? TryDecodeStrings(ReadOnlySpan<byte> payload, long count, out uint crc, out string? error)
    {
        crc = 0;
        error = null;
        if (count > payload.Length)
        {
            error = $"{count} string elements cannot fit in {payload.Length} bytes";
            return null;
        }
        var lengths = new long[count];
        int pos = 0;
        long total = 0;
        uint lengthCrc = 0;
        Span<byte> scratch = stackalloc byte[8];
        for (long i = 0; i < count; i++)
        {
            if (!Coding.TryReadVarint(payload, ref pos, out ulong length) || length > (ulong)payload.Length)
            {
                error = $"the length of string element {i} is invalid or larger than the payload";
                return null;
            }
            lengths[i] = (long)length;
            total += (long)length;
            lengthCrc = Crc32C.Append(lengthCrc, LengthBytes(scratch, length));
        }
        if (payload.Length - pos < 4 || total != payload.Length - pos - 4)
        {
            error = $"the payload has {payload.Length} bytes but its lengths describe {pos + 4 + total}";
            return null;
        }
        uint storedLengthCrc = BinaryPrimitives.ReadUInt32LittleEndian(payload[pos..]);
        if (storedLengthCrc != Crc32C.Mask(lengthCrc))
        {
            error = $"the checksum of the string lengths does not match (stored 0x{storedLengthCrc:x8}, computed 0x{Crc32C.Mask(lengthCrc):x8})";
            return null;
        }
        crc = Crc32C.Append(lengthCrc, payload.Slice(pos, 4));
        pos += 4;
        crc = Crc32C.Append(crc, payload[pos..]);
        var values = new byte[count][];
        for (long i = 0; i < count; i++)
        {
            values[i] = payload.Slice(pos, (int)lengths[i]).ToArray();
            pos += (int)lengths[i];
        }
        return values;
    }

    /// <summary>Walks a variant payload and returns its running CRC (unmasked); null with an error when malformed.</summary>
    public static uint? TryVariantCrc(ReadOnlySpan<byte> payload, long count, out string? error)
    {
        error = null;
        uint crc = 0;
        int pos = 0;
        Span<byte> scratch = stackalloc byte[8];
        for (long i = 0; i < count; i++)
        {
            if (!Coding.TryReadVarint(payload, ref pos, out ulong length) || length > (ulong)(payload.Length - pos) || payload.Length - pos - (int)length < 4)
            {
                error = $"variant element {i} at byte {pos} runs past the end of the payload";
                return null;
            }
            BinaryPrimitives.WriteUInt64LittleEndian(scratch, length);
            crc = Crc32C.Append(crc, scratch);
            crc = Crc32C.Append(crc, payload.Slice(pos, (int)length));
            pos += (int)length;
            uint stored = BinaryPrimitives.ReadUInt32LittleEndian(payload[pos..]);
            if (stored != Crc32C.Mask(crc))
            {
                error = $"the checksum after variant element {i} does not match (stored 0x{stored:x8}, computed 0x{Crc32C.Mask(crc):x8})";
                return null;
            }
            crc = Crc32C.Append(crc, payload.Slice(pos, 4));
            pos += 4;
        }
        if (pos != payload.Length)
        {
            error = $"{payload.Length - pos} bytes follow the last of {count} variant elements";
            return null;
        }
        return crc;
    }

    // Lengths enter the CRC as uint32 LE, or uint64 LE when they do not fit in 32 bits (TensorFlow's WriteStringTensor).
    private static ReadOnlySpan<byte> LengthBytes(Span<byte> scratch, ulong length)
    {
        if (length <= uint.MaxValue)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(scratch, (uint)length);
            return scratch[..4];
        }
        BinaryPrimitives.WriteUInt64LittleEndian(scratch, length);
        return scratch;
    }
}
