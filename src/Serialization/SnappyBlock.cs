namespace Framework.Serialization;

/// <summary>Decompression of one raw Snappy block (no framing), as found in compressed SSTable blocks (spec 1.3.7).</summary>
/// <remarks>
/// The decoding itself is Snappier's (a maintained port of Google's Snappy). What this adds is the distrust a checkpoint
/// reader needs: the announced length is bounded by what the input could possibly expand to before anything is
/// allocated, the output must fill exactly the announced length, and Snappier's exceptions become an error message
/// that the caller attaches to the file and block.
/// </remarks>
internal static class SnappyBlock
{
    // The best expansion a Snappy element can achieve: a 3-byte copy (2-byte offset) that produces 64 bytes.
    private const int MaxExpansion = 22;

    /// <summary>Decompresses <paramref name="input"/>; <paramref name="error"/> names the problem when it returns null.</summary>
    public static byte[]? TryDecompress(ReadOnlySpan<byte> input, out string? error)
    {
        error = null;
        int length;
        try
        {
            length = Snappier.Snappy.GetUncompressedLength(input);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException)
        {
            return Fail(out error, $"the uncompressed length is not a valid varint ({e.Message})");
        }
        if (length < 0 || (ulong)length > (ulong)input.Length * MaxExpansion)
            return Fail(out error, $"the announced uncompressed length {length} is impossible for {input.Length} compressed bytes");
        var output = new byte[length];
        int written;
        try
        {
            written = Snappier.Snappy.Decompress(input, output);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException)
        {
            return Fail(out error, $"the data does not decompress to its announced {length} bytes ({e.Message})");
        }
        if (written != length)
            return Fail(out error, $"the data decompresses to {written} bytes but announces {length}");
        return output;
    }

    private static byte[]? Fail(out string? error, string message)
    {
        error = message;
        return null;
    }
}
