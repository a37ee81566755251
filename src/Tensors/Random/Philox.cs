using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Framework.Tensors;

/// <summary>The Philox4x32-10 counter-based generator: a keyed bijection from 128-bit counters to 128-bit blocks.</summary>
/// <remarks>
/// Salmon, Moraes, Dror and Shaw, "Parallel random numbers: as easy as 1, 2, 3" (SC'11), the generator behind
/// TensorFlow's stateless ops and PyTorch's CUDA backend. The counter is four 32-bit words
/// <c>(c0, c1, c2, c3) = (lo(counterLow), hi(counterLow), lo(counterHigh), hi(counterHigh))</c>, the key two words
/// <c>(k0, k1) = (lo(key), hi(key))</c>; one block is the four output words in that order. Each of the ten rounds
/// computes <c>(hi(M1·c2) ⊕ c1 ⊕ k0, lo(M1·c2), hi(M0·c0) ⊕ c3 ⊕ k1, lo(M0·c0))</c>, and the key is bumped by the
/// Weyl constants between rounds. Bulk fills run eight (AVX2) or sixteen (AVX-512) blocks at a time and give the
/// same words as the scalar <see cref="Block"/>, which the tests check on every path.
/// </remarks>
internal static class Philox
{
    private const uint M0 = 0xD2511F53;
    private const uint M1 = 0xCD9E8D57;
    private const uint W0 = 0x9E3779B9;
    private const uint W1 = 0xBB67AE85;
    private const int Rounds = 10;

    /// <summary>Computes the block for one counter.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Block(ulong key, ulong counterLow, ulong counterHigh, out uint x0, out uint x1, out uint x2, out uint x3)
    {
        uint c0 = (uint)counterLow, c1 = (uint)(counterLow >> 32), c2 = (uint)counterHigh, c3 = (uint)(counterHigh >> 32);
        uint k0 = (uint)key, k1 = (uint)(key >> 32);
        for (int round = 0; round < Rounds; round++)
        {
            ulong p0 = (ulong)M0 * c0;
            ulong p1 = (ulong)M1 * c2;
            uint n0 = (uint)(p1 >> 32) ^ c1 ^ k0;
            uint n2 = (uint)(p0 >> 32) ^ c3 ^ k1;
            c1 = (uint)p1;
            c3 = (uint)p0;
            c0 = n0;
            c2 = n2;
            k0 += W0;
            k1 += W1;
        }
        x0 = c0;
        x1 = c1;
        x2 = c2;
        x3 = c3;
    }

    /// <summary>The number of 128-bit blocks needed for <paramref name="words"/> 32-bit words.</summary>
    public static ulong BlocksFor(long words) => (ulong)((words + 3) / 4);

    /// <summary>
    /// Writes the blocks for counters <c>start, start + 1, ...</c> (128-bit arithmetic) word by word into
    /// <paramref name="destination"/>; the unused words of a final partial block are dropped.
    /// </summary>
    public static void Fill(ulong key, ulong counterLow, ulong counterHigh, Span<uint> destination)
    {
        int fullBlocks = destination.Length / 4;
        int done = 0;
        // Reinterpreting as ulong pairs words (c0, c1) and (c2, c3) in memory order; .NET targets are little-endian.
        Span<ulong> pairs = MemoryMarshal.Cast<uint, ulong>(destination[..(fullBlocks * 4)]);
        if (Avx512F.IsSupported && fullBlocks >= 16)
            done = FillAvx512(key, counterLow, counterHigh, pairs);
        if (Avx2.IsSupported && fullBlocks - done >= 8)
        {
            (ulong lo, ulong hi) = Offset(counterLow, counterHigh, (ulong)done);
            done += FillAvx2(key, lo, hi, pairs[(2 * done)..]);
        }
        for (int b = done; b < fullBlocks; b++)
        {
            (ulong lo, ulong hi) = Offset(counterLow, counterHigh, (ulong)b);
            Block(key, lo, hi, out destination[4 * b], out destination[4 * b + 1], out destination[4 * b + 2], out destination[4 * b + 3]);
        }
        int rest = destination.Length - 4 * fullBlocks;
        if (rest > 0)
        {
            (ulong lo, ulong hi) = Offset(counterLow, counterHigh, (ulong)fullBlocks);
            Block(key, lo, hi, out uint x0, out uint x1, out uint x2, out _);
            Span<uint> tail = destination[(4 * fullBlocks)..];
            tail[0] = x0;
            if (rest > 1) tail[1] = x1;
            if (rest > 2) tail[2] = x2;
        }
    }

    /// <summary>Adds <paramref name="blocks"/> to a 128-bit counter, wrapping at 2^128.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (ulong Low, ulong High) Offset(ulong counterLow, ulong counterHigh, ulong blocks)
    {
        ulong low = counterLow + blocks;
        return (low, low < counterLow ? counterHigh + 1 : counterHigh);
    }

    /// <summary>Fills whole groups of eight blocks with AVX2; returns the number of blocks written.</summary>
    /// <remarks>
    /// Each 64-bit lane holds one 32-bit word of one block, so <c>vpmuludq</c> gives the full 32×32→64 product that
    /// Philox needs. Two independent groups of four blocks are interleaved because a single group is bound by the
    /// multiply latency of the ten dependent rounds, not by throughput.
    /// </remarks>
    private static int FillAvx2(ulong key, ulong counterLow, ulong counterHigh, Span<ulong> pairs)
    {
        int groups = pairs.Length / 16;
        Vector256<uint> m0 = Vector256.Create((ulong)M0).AsUInt32();
        Vector256<uint> m1 = Vector256.Create((ulong)M1).AsUInt32();
        Vector256<ulong> low32 = Vector256.Create(0xFFFF_FFFFUL);
        Span<Vector256<ulong>> roundKeys = stackalloc Vector256<ulong>[2 * Rounds];
        uint k0 = (uint)key, k1 = (uint)(key >> 32);
        for (int r = 0; r < Rounds; r++, k0 += W0, k1 += W1)
        {
            roundKeys[2 * r] = Vector256.Create((ulong)k0);
            roundKeys[2 * r + 1] = Vector256.Create((ulong)k1);
        }

        for (int g = 0; g < groups; g++)
        {
            ulong first = (ulong)g * 8;
            Load(counterLow, counterHigh, first, out Vector256<ulong> a0, out Vector256<ulong> a1, out Vector256<ulong> a2, out Vector256<ulong> a3);
            Load(counterLow, counterHigh, first + 4, out Vector256<ulong> b0, out Vector256<ulong> b1, out Vector256<ulong> b2, out Vector256<ulong> b3);
            for (int r = 0; r < Rounds; r++)
            {
                Vector256<ulong> rk0 = roundKeys[2 * r], rk1 = roundKeys[2 * r + 1];
                Vector256<ulong> pa0 = Avx2.Multiply(a0.AsUInt32(), m0), pa1 = Avx2.Multiply(a2.AsUInt32(), m1);
                Vector256<ulong> pb0 = Avx2.Multiply(b0.AsUInt32(), m0), pb1 = Avx2.Multiply(b2.AsUInt32(), m1);
                a0 = Vector256.ShiftRightLogical(pa1, 32) ^ a1 ^ rk0;
                a2 = Vector256.ShiftRightLogical(pa0, 32) ^ a3 ^ rk1;
                a1 = pa1 & low32;
                a3 = pa0 & low32;
                b0 = Vector256.ShiftRightLogical(pb1, 32) ^ b1 ^ rk0;
                b2 = Vector256.ShiftRightLogical(pb0, 32) ^ b3 ^ rk1;
                b1 = pb1 & low32;
                b3 = pb0 & low32;
            }
            Store(a0, a1, a2, a3, pairs.Slice(g * 16, 8));
            Store(b0, b1, b2, b3, pairs.Slice(g * 16 + 8, 8));
        }
        return groups * 8;
    }

    /// <summary>Fills whole groups of sixteen blocks with AVX-512; returns the number of blocks written.</summary>
    /// <remarks>The <see cref="FillAvx2"/> scheme with eight blocks per vector.</remarks>
    private static int FillAvx512(ulong key, ulong counterLow, ulong counterHigh, Span<ulong> pairs)
    {
        int groups = pairs.Length / 32;
        Vector512<uint> m0 = Vector512.Create((ulong)M0).AsUInt32();
        Vector512<uint> m1 = Vector512.Create((ulong)M1).AsUInt32();
        Vector512<ulong> low32 = Vector512.Create(0xFFFF_FFFFUL);
        Span<Vector512<ulong>> roundKeys = stackalloc Vector512<ulong>[2 * Rounds];
        uint k0 = (uint)key, k1 = (uint)(key >> 32);
        for (int r = 0; r < Rounds; r++, k0 += W0, k1 += W1)
        {
            roundKeys[2 * r] = Vector512.Create((ulong)k0);
            roundKeys[2 * r + 1] = Vector512.Create((ulong)k1);
        }
        // Interleaves (c0|c1) and (c2|c3) of blocks 0..3 and 4..7 back into block order.
        Vector512<ulong> firstHalf = Vector512.Create(0UL, 8, 1, 9, 2, 10, 3, 11);
        Vector512<ulong> secondHalf = Vector512.Create(4UL, 12, 5, 13, 6, 14, 7, 15);

        for (int g = 0; g < groups; g++)
        {
            Load(counterLow, counterHigh, (ulong)g * 16, out Vector512<ulong> a0, out Vector512<ulong> a1, out Vector512<ulong> a2, out Vector512<ulong> a3);
            Load(counterLow, counterHigh, (ulong)g * 16 + 8, out Vector512<ulong> b0, out Vector512<ulong> b1, out Vector512<ulong> b2, out Vector512<ulong> b3);
            for (int r = 0; r < Rounds; r++)
            {
                Vector512<ulong> rk0 = roundKeys[2 * r], rk1 = roundKeys[2 * r + 1];
                Vector512<ulong> pa0 = Avx512F.Multiply(a0.AsUInt32(), m0), pa1 = Avx512F.Multiply(a2.AsUInt32(), m1);
                Vector512<ulong> pb0 = Avx512F.Multiply(b0.AsUInt32(), m0), pb1 = Avx512F.Multiply(b2.AsUInt32(), m1);
                a0 = Vector512.ShiftRightLogical(pa1, 32) ^ a1 ^ rk0;
                a2 = Vector512.ShiftRightLogical(pa0, 32) ^ a3 ^ rk1;
                a1 = pa1 & low32;
                a3 = pa0 & low32;
                b0 = Vector512.ShiftRightLogical(pb1, 32) ^ b1 ^ rk0;
                b2 = Vector512.ShiftRightLogical(pb0, 32) ^ b3 ^ rk1;
                b1 = pb1 & low32;
                b3 = pb0 & low32;
            }
            Span<ulong> output = pairs.Slice(g * 32, 32);
            Vector512<ulong> wa01 = a0 | Vector512.ShiftLeft(a1, 32), wa23 = a2 | Vector512.ShiftLeft(a3, 32);
            Vector512<ulong> wb01 = b0 | Vector512.ShiftLeft(b1, 32), wb23 = b2 | Vector512.ShiftLeft(b3, 32);
            Avx512F.PermuteVar8x64x2(wa01, firstHalf, wa23).CopyTo(output);
            Avx512F.PermuteVar8x64x2(wa01, secondHalf, wa23).CopyTo(output[8..]);
            Avx512F.PermuteVar8x64x2(wb01, firstHalf, wb23).CopyTo(output[16..]);
            Avx512F.PermuteVar8x64x2(wb01, secondHalf, wb23).CopyTo(output[24..]);
        }
        return groups * 16;
    }

    /// <summary>Loads the counters of eight consecutive blocks, one word per 64-bit lane.</summary>
    private static void Load(ulong counterLow, ulong counterHigh, ulong first,
        out Vector512<ulong> c0, out Vector512<ulong> c1, out Vector512<ulong> c2, out Vector512<ulong> c3)
    {
        (ulong lo, ulong hi) = Offset(counterLow, counterHigh, first);
        Vector512<ulong> lows = Vector512.Create(lo) + Vector512.Create(0UL, 1, 2, 3, 4, 5, 6, 7);
        // A lane whose low word wrapped carries one into the high word (the comparison mask is all ones, i.e. −1).
        Vector512<ulong> highs = Vector512.Create(hi) - Vector512.LessThan(lows, Vector512.Create(lo));
        Vector512<ulong> low32 = Vector512.Create(0xFFFF_FFFFUL);
        c0 = lows & low32;
        c1 = Vector512.ShiftRightLogical(lows, 32);
        c2 = highs & low32;
        c3 = Vector512.ShiftRightLogical(highs, 32);
    }

    /// <summary>Loads the counters of four consecutive blocks, one word per 64-bit lane.</summary>
    private static void Load(ulong counterLow, ulong counterHigh, ulong first,
        out Vector256<ulong> c0, out Vector256<ulong> c1, out Vector256<ulong> c2, out Vector256<ulong> c3)
    {
        (ulong l0, ulong h0) = Offset(counterLow, counterHigh, first);
        (ulong l1, ulong h1) = Offset(counterLow, counterHigh, first + 1);
        (ulong l2, ulong h2) = Offset(counterLow, counterHigh, first + 2);
        (ulong l3, ulong h3) = Offset(counterLow, counterHigh, first + 3);
        Vector256<ulong> lows = Vector256.Create(l0, l1, l2, l3);
        Vector256<ulong> highs = Vector256.Create(h0, h1, h2, h3);
        Vector256<ulong> low32 = Vector256.Create(0xFFFF_FFFFUL);
        c0 = lows & low32;
        c1 = Vector256.ShiftRightLogical(lows, 32);
        c2 = highs & low32;
        c3 = Vector256.ShiftRightLogical(highs, 32);
    }

    /// <summary>Writes four blocks held one word per lane back in block order as (c0|c1, c2|c3) pairs.</summary>
    private static void Store(Vector256<ulong> c0, Vector256<ulong> c1, Vector256<ulong> c2, Vector256<ulong> c3, Span<ulong> pairs)
    {
        Vector256<ulong> w01 = c0 | Vector256.ShiftLeft(c1, 32);
        Vector256<ulong> w23 = c2 | Vector256.ShiftLeft(c3, 32);
        // Unpack gives (block 0, block 2) and (block 1, block 3) per 128-bit half; the lane permute restores order.
        Vector256<ulong> even = Avx2.UnpackLow(w01, w23);
        Vector256<ulong> odd = Avx2.UnpackHigh(w01, w23);
        Avx2.Permute2x128(even, odd, 0x20).CopyTo(pairs);
        Avx2.Permute2x128(even, odd, 0x31).CopyTo(pairs[4..]);
    }
}
