using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Framework.Serialization;

/// <summary>CRC32C (Castagnoli, reflected polynomial 0x82F63B78) and TensorFlow's CRC masking (spec 1.2).</summary>
/// <remarks>
/// <c>System.IO.Hashing.Crc32</c> is zlib's polynomial and cannot be used. On x64 with SSE4.2 the hardware
/// instruction computes exactly this CRC on the un-finalized register; elsewhere a slicing-by-8 table is used.
/// Longer buffers are folded with carry-less multiplies where the CPU has them (Crc32C.Folding.cs).
/// </remarks>
internal static partial class Crc32C
{
    private const uint Polynomial = 0x82F63B78;
    private const uint MaskDelta = 0xA282EAD8;

    // Each of the three interleaved streams covers this many bytes per round; the rounds are chained by shifting.
    private const int StreamBlock = 4096;
    private const int ThreeWayThreshold = 3 * StreamBlock;

    private static readonly uint[] s_table = BuildTable();

    // Multiplying a raw CRC register by x^(8*StreamBlock) mod P, as four byte-indexed lookups, advances it past
    // StreamBlock zero bytes; this is what joins the three streams of a round.
    private static readonly uint[] s_shiftBlock = BuildShiftTable(StreamBlock);

    /// <summary>The CRC32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>Continues <paramref name="crc"/> (a finished CRC, 0 for none) over <paramref name="data"/>, like crc32c::Extend.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data) => ~Update(~crc, data);

    /// <summary>Masks a CRC for storage, so that a CRC of data containing CRCs is not degenerate.</summary>
    public static uint Mask(uint crc) => ((crc >> 15) | (crc << 17)) + MaskDelta;

    /// <summary>Inverts <see cref="Mask"/>.</summary>
    public static uint Unmask(uint masked)
    {
        uint rot = masked - MaskDelta;
        return (rot >> 17) | (rot << 15);
    }

    /// <summary>Processes bytes on the raw (un-finalized) register.</summary>
    private static uint Update(uint state, ReadOnlySpan<byte> data)
    {
        if (!Sse42.X64.IsSupported)
            return UpdateTable(state, data);
        if (data.Length >= HybridBlock && CanFold512)
            return UpdateHybrid(state, data);
        if (data.Length >= FoldThreshold && CanFold512)
            return UpdateFold512(state, data);
        if (data.Length >= ThreeWayThreshold)
            return UpdateThreeWay(state, data);
        if (data.Length >= Fold128Threshold && CanFold128)
            return UpdateFold128(state, data);
        return UpdateHardware(state, data);
    }

    // Fully optimized from the first call: a checkpoint saved once per epoch would otherwise run this loop as tier-0 code
    // (no inlining of the Unsafe helpers) for many epochs, several times slower than the disk it feeds.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static uint UpdateHardware(uint state, ReadOnlySpan<byte> data)
    {
        ulong crc = state;
        ref byte p = ref MemoryMarshal.GetReference(data);
        int n = data.Length;
        int i = 0;
        for (; i + 8 <= n; i += 8)
            crc = Sse42.X64.Crc32(crc, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, i)));
        uint c = (uint)crc;
        for (; i < n; i++)
            c = Sse42.Crc32(c, Unsafe.Add(ref p, i));
        return c;
    }

    // The crc32 instruction has a latency of 3 cycles and a throughput of 1 per cycle, so three independent streams
    // keep the unit busy; the partial CRCs are then combined by shifting them over the bytes that follow them.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static uint UpdateThreeWay(uint state, ReadOnlySpan<byte> data)
    {
        ref byte p = ref MemoryMarshal.GetReference(data);
        int offset = 0;
        uint crc = state;
        for (; data.Length - offset >= 3 * StreamBlock; offset += 3 * StreamBlock)
        {
            ulong a = crc, b = 0, c = 0;
            for (int i = offset; i < offset + StreamBlock; i += 8)
            {
                a = Sse42.X64.Crc32(a, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, i)));
                b = Sse42.X64.Crc32(b, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, i + StreamBlock)));
                c = Sse42.X64.Crc32(c, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, i + 2 * StreamBlock)));
            }
            // On raw registers crc(A‖B) = shift(crc(A), |B|) xor crc_from_zero(B), because the CRC is linear over GF(2).
            crc = Shift((uint)a, s_shiftBlock) ^ (uint)b;
            crc = Shift(crc, s_shiftBlock) ^ (uint)c;
        }
        return UpdateHardware(crc, data[offset..]);
    }

    private static uint Shift(uint crc, uint[] t) =>
        t[crc & 0xFF] ^ t[256 + ((crc >> 8) & 0xFF)] ^ t[512 + ((crc >> 16) & 0xFF)] ^ t[768 + (crc >> 24)];

    // The zero-byte shift is linear, so it is tabulated by its images of each byte value in each of the four positions.
    private static uint[] BuildShiftTable(int bytes)
    {
        Span<uint> op = stackalloc uint[32];
        ShiftOperator(op, bytes);
        var table = new uint[1024];
        for (int pos = 0; pos < 4; pos++)
            for (int v = 0; v < 256; v++)
                table[pos * 256 + v] = MatrixTimes(op, (uint)v << (8 * pos));
        return table;
    }

    // The GF(2) matrix that advances a raw register over `bytes` zero bytes, by repeated squaring of the one-bit operator.
    private static void ShiftOperator(Span<uint> result, int bytes)
    {
        Span<uint> op = stackalloc uint[32];
        Span<uint> tmp = stackalloc uint[32];
        // One zero bit: shift right, folding the polynomial in when the low bit was set.
        op[0] = Polynomial;
        for (int i = 1; i < 32; i++)
            op[i] = 1u << (i - 1);
        for (int i = 0; i < 3; i++)
        {
            MatrixSquare(tmp, op);
            tmp.CopyTo(op);
        }
        // result = identity, then multiply in op^(2^k) for each set bit k of `bytes`.
        for (int i = 0; i < 32; i++)
            result[i] = 1u << i;
        for (long n = bytes; n != 0; n >>= 1)
        {
            if ((n & 1) != 0)
            {
                for (int i = 0; i < 32; i++)
                    tmp[i] = MatrixTimes(op, result[i]);
                tmp.CopyTo(result);
            }
            MatrixSquare(tmp, op);
            tmp.CopyTo(op);
        }
    }

    private static uint MatrixTimes(ReadOnlySpan<uint> matrix, uint vector)
    {
        uint sum = 0;
        for (int i = 0; vector != 0; i++, vector >>= 1)
            if ((vector & 1) != 0)
                sum ^= matrix[i];
        return sum;
    }

    private static void MatrixSquare(Span<uint> square, ReadOnlySpan<uint> matrix)
    {
        for (int i = 0; i < 32; i++)
            square[i] = MatrixTimes(matrix, matrix[i]);
    }

    private static uint UpdateTable(uint crc, ReadOnlySpan<byte> data)
    {
        uint[] t = s_table;
        int i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            uint lo = BinaryPrimitives.ReadUInt32LittleEndian(data[i..]) ^ crc;
            uint hi = BinaryPrimitives.ReadUInt32LittleEndian(data[(i + 4)..]);
            crc = t[7 * 256 + (lo & 0xFF)] ^ t[6 * 256 + ((lo >> 8) & 0xFF)] ^ t[5 * 256 + ((lo >> 16) & 0xFF)] ^ t[4 * 256 + (lo >> 24)]
                ^ t[3 * 256 + (hi & 0xFF)] ^ t[2 * 256 + ((hi >> 8) & 0xFF)] ^ t[256 + ((hi >> 16) & 0xFF)] ^ t[hi >> 24];
        }
        for (; i < data.Length; i++)
            crc = t[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] BuildTable()
    {
        var t = new uint[8 * 256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? (c >> 1) ^ Polynomial : c >> 1;
            t[i] = c;
        }
        for (int s = 1; s < 8; s++)
            for (int i = 0; i < 256; i++)
                t[s * 256 + i] = (t[(s - 1) * 256 + i] >> 8) ^ t[t[(s - 1) * 256 + i] & 0xFF];
        return t;
    }

    /// <summary>Test hook: the portable table path, so both implementations can be checked on SSE4.2 machines.</summary>
    internal static uint ComputeWithTable(ReadOnlySpan<byte> data) => ~UpdateTable(0xFFFFFFFF, data);

    /// <summary>Test hook: <see cref="Append"/> on the portable table path.</summary>
    internal static uint AppendWithTable(uint crc, ReadOnlySpan<byte> data) => ~UpdateTable(~crc, data);
}
