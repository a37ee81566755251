using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Framework.Serialization;

// Carry-less multiplication folding (Intel, "Fast CRC Computation for Generic Polynomials Using PCLMULQDQ", 2009).
// The crc32 instruction takes 8 bytes at a time on one execution unit, so even three streams stay near 8 bytes per
// cycle; folding keeps several independent 128-bit remainders and multiplies each forward past the data that follows
// it, so it runs at the throughput of the (vector) carry-less multiplier instead.
internal static partial class Crc32C
{
    // One round of the 512-bit loop, its minimum. Even here it beat one crc32 stream (8 ns against 13 ns for 256 bytes
    // on the machine measured) despite the fixed cost of reducing the four accumulators to one remainder.
    private const int FoldThreshold = 256;

    // 128-bit folding only beat one crc32 stream from about 2 KiB, and lost to three streams, on the one machine
    // measured (AMD EPYC with AVX-512, where it only runs in tests); so it fills the gap below UpdateThreeWay.
    private const int Fold128Threshold = 2048;

    // Advance a 128-bit lane by 128, 512 (one 128-bit register of four, or one 512-bit register) and 2048 bits.
    private static readonly Vector128<ulong> s_fold128 = FoldConstants(128);
    private static readonly Vector128<ulong> s_fold512 = FoldConstants(512);
    private static readonly Vector128<ulong> s_fold2048 = FoldConstants(2048);

    private static bool CanFold128 => Sse42.X64.IsSupported && Pclmulqdq.IsSupported;
    private static bool CanFold512 => CanFold128 && Pclmulqdq.V512.IsSupported;

    // A 128-bit lane read from memory holds a polynomial X whose first byte's low bit is the coefficient of x^127
    // (reflected bit order, as the register). Moving it D bits further along the message means replacing X by
    // X·x^D mod P. Split X = H·x^64 + L (H is the low qword); then X·x^D ≡ H·(x^(D+64) mod P) + L·(x^D mod P).
    // For reflected operands pclmulqdq returns the product times x, and a 32-bit constant R stored in the low half of
    // a qword stands for R·x^32, so the qwords hold x^(D+64-33) mod P and x^(D-33) mod P in register bit order.
    // The products have degree below 128, so a fold is two multiplies and xors with no reduction.
    private static Vector128<ulong> FoldConstants(int bits) =>
        Vector128.Create((ulong)XPowMod(bits + 31), XPowMod(bits - 33));

    // x^n mod P in register bit order (bit 31 is x^0): start from 1 and multiply by x n times.
    private static uint XPowMod(int n)
    {
        uint r = 0x80000000;
        for (int i = 0; i < n; i++)
            r = (r & 1) != 0 ? (r >> 1) ^ Polynomial : r >> 1;
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Fold(Vector128<ulong> x, Vector128<ulong> k) =>
        Pclmulqdq.CarrylessMultiply(x, k, 0x00) ^ Pclmulqdq.CarrylessMultiply(x, k, 0x11);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Fold(Vector512<ulong> x, Vector512<ulong> k) =>
        Pclmulqdq.V512.CarrylessMultiply(x, k, 0x00) ^ Pclmulqdq.V512.CarrylessMultiply(x, k, 0x11);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Load128(ref byte p, int offset) =>
        Unsafe.ReadUnaligned<Vector128<ulong>>(ref Unsafe.Add(ref p, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Load512(ref byte p, int offset) =>
        Unsafe.ReadUnaligned<Vector512<ulong>>(ref Unsafe.Add(ref p, offset));

    private static Vector512<ulong> Broadcast(Vector128<ulong> k) => Vector512.Create(Vector256.Create(k, k), Vector256.Create(k, k));

    /// <summary>Four 512-bit accumulators, 256 bytes per round; needs at least <see cref="FoldThreshold"/> bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static uint UpdateFold512(uint state, ReadOnlySpan<byte> data)
    {
        ref byte p = ref MemoryMarshal.GetReference(data);
        int n = data.Length;
        // The raw register enters as if xored into the first four message bytes (the CRC is linear).
        Vector512<ulong> x0 = Load512(ref p, 0) ^ Vector512.CreateScalar((ulong)state);
        Vector512<ulong> x1 = Load512(ref p, 64);
        Vector512<ulong> x2 = Load512(ref p, 128);
        Vector512<ulong> x3 = Load512(ref p, 192);
        Vector512<ulong> k2048 = Broadcast(s_fold2048);
        int i = 256;
        for (; n - i >= 256; i += 256)
        {
            x0 = Fold(x0, k2048) ^ Load512(ref p, i);
            x1 = Fold(x1, k2048) ^ Load512(ref p, i + 64);
            x2 = Fold(x2, k2048) ^ Load512(ref p, i + 128);
            x3 = Fold(x3, k2048) ^ Load512(ref p, i + 192);
        }
        Vector512<ulong> k512 = Broadcast(s_fold512);
        x0 = Fold(x0, k512) ^ x1;
        x0 = Fold(x0, k512) ^ x2;
        x0 = Fold(x0, k512) ^ x3;
        for (; n - i >= 64; i += 64)
            x0 = Fold(x0, k512) ^ Load512(ref p, i);
        return FinishFold(ToOneLane(x0), data[i..]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> ToOneLane(Vector512<ulong> x)
    {
        Vector128<ulong> k128 = s_fold128;
        Vector128<ulong> a = Fold(x.GetLower().GetLower(), k128) ^ x.GetLower().GetUpper();
        a = Fold(a, k128) ^ x.GetUpper().GetLower();
        return Fold(a, k128) ^ x.GetUpper().GetUpper();
    }

    // On its own the 512-bit loop is bound by the multiplier (about 16 bytes per cycle here), and the crc32 unit sits
    // idle. A hybrid block folds HybridFold bytes while three crc32 streams cover the HybridStream-byte regions after
    // them in the same loop, on other execution ports; 40 bytes per stream per 256 folded balances the two units.
    private const int HybridRounds = 128;
    private const int HybridFold = 256 * HybridRounds;
    private const int HybridStream = 40 * HybridRounds;
    private const int HybridBlock = HybridFold + 3 * HybridStream;

    // Advances a raw register past one stream region, to join the partial CRCs as UpdateThreeWay does.
    private static readonly uint[] s_shiftHybridStream = BuildShiftTable(HybridStream);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static uint UpdateHybrid(uint state, ReadOnlySpan<byte> data)
    {
        int offset = 0;
        for (; data.Length - offset >= HybridBlock; offset += HybridBlock)
            state = HybridBlockUpdate(state, ref Unsafe.Add(ref MemoryMarshal.GetReference(data), offset));
        ReadOnlySpan<byte> rest = data[offset..];
        return rest.Length >= FoldThreshold ? UpdateFold512(state, rest) : UpdateHardware(state, rest);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static uint HybridBlockUpdate(uint state, ref byte p)
    {
        ref byte s0 = ref Unsafe.Add(ref p, HybridFold);
        ref byte s1 = ref Unsafe.Add(ref s0, HybridStream);
        ref byte s2 = ref Unsafe.Add(ref s1, HybridStream);
        Vector512<ulong> x0 = Load512(ref p, 0) ^ Vector512.CreateScalar((ulong)state);
        Vector512<ulong> x1 = Load512(ref p, 64);
        Vector512<ulong> x2 = Load512(ref p, 128);
        Vector512<ulong> x3 = Load512(ref p, 192);
        Vector512<ulong> k2048 = Broadcast(s_fold2048);
        ulong a = 0, b = 0, c = 0;
        int j = 0;
        for (int i = 256; i < HybridFold; i += 256, j += 40)
        {
            x0 = Fold(x0, k2048) ^ Load512(ref p, i);
            x1 = Fold(x1, k2048) ^ Load512(ref p, i + 64);
            x2 = Fold(x2, k2048) ^ Load512(ref p, i + 128);
            x3 = Fold(x3, k2048) ^ Load512(ref p, i + 192);
            for (int k = j; k < j + 40; k += 8)
            {
                a = Sse42.X64.Crc32(a, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref s0, k)));
                b = Sse42.X64.Crc32(b, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref s1, k)));
                c = Sse42.X64.Crc32(c, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref s2, k)));
            }
        }
        // The fold loop started one 256-byte round ahead, so the streams have their last 40 bytes still to do.
        for (int k = j; k < HybridStream; k += 8)
        {
            a = Sse42.X64.Crc32(a, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref s0, k)));
            b = Sse42.X64.Crc32(b, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref s1, k)));
            c = Sse42.X64.Crc32(c, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref s2, k)));
        }
        Vector512<ulong> k512 = Broadcast(s_fold512);
        x0 = Fold(x0, k512) ^ x1;
        x0 = Fold(x0, k512) ^ x2;
        x0 = Fold(x0, k512) ^ x3;
        uint crc = FinishFold(ToOneLane(x0), []);
        crc = Shift(crc, s_shiftHybridStream) ^ (uint)a;
        crc = Shift(crc, s_shiftHybridStream) ^ (uint)b;
        return Shift(crc, s_shiftHybridStream) ^ (uint)c;
    }

    /// <summary>Four 128-bit accumulators, 64 bytes per round, for CPUs without VPCLMULQDQ; needs at least 64 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static uint UpdateFold128(uint state, ReadOnlySpan<byte> data)
    {
        ref byte p = ref MemoryMarshal.GetReference(data);
        int n = data.Length;
        Vector128<ulong> x0 = Load128(ref p, 0) ^ Vector128.CreateScalar((ulong)state);
        Vector128<ulong> x1 = Load128(ref p, 16);
        Vector128<ulong> x2 = Load128(ref p, 32);
        Vector128<ulong> x3 = Load128(ref p, 48);
        Vector128<ulong> k512 = s_fold512;
        int i = 64;
        for (; n - i >= 64; i += 64)
        {
            x0 = Fold(x0, k512) ^ Load128(ref p, i);
            x1 = Fold(x1, k512) ^ Load128(ref p, i + 16);
            x2 = Fold(x2, k512) ^ Load128(ref p, i + 32);
            x3 = Fold(x3, k512) ^ Load128(ref p, i + 48);
        }
        Vector128<ulong> k128 = s_fold128;
        x0 = Fold(x0, k128) ^ x1;
        x0 = Fold(x0, k128) ^ x2;
        x0 = Fold(x0, k128) ^ x3;
        return FinishFold(x0, data[i..]);
    }

    // Folds in the remaining whole 16-byte blocks, then lets the crc32 instruction reduce the 128-bit remainder:
    // from a zero register it computes exactly X·x^32 mod P, the raw CRC. The last 0..15 bytes continue from there.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static uint FinishFold(Vector128<ulong> x, ReadOnlySpan<byte> rest)
    {
        ref byte p = ref MemoryMarshal.GetReference(rest);
        Vector128<ulong> k128 = s_fold128;
        int i = 0;
        for (; rest.Length - i >= 16; i += 16)
            x = Fold(x, k128) ^ Load128(ref p, i);
        ulong crc = Sse42.X64.Crc32(0UL, x.GetElement(0));
        crc = Sse42.X64.Crc32(crc, x.GetElement(1));
        return UpdateHardware((uint)crc, rest[i..]);
    }

    /// <summary>Test hook: the 512-bit folding path on its own; false where the CPU lacks VPCLMULQDQ.</summary>
    internal static bool TryAppendFold512(uint crc, ReadOnlySpan<byte> data, out uint result)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(data.Length, FoldThreshold, nameof(data));
        result = CanFold512 ? ~UpdateFold512(~crc, data) : 0;
        return CanFold512;
    }

    /// <summary>Test hook: 512-bit folding beside crc32 streams; false where the CPU lacks VPCLMULQDQ.</summary>
    internal static bool TryAppendHybrid(uint crc, ReadOnlySpan<byte> data, out uint result)
    {
        result = CanFold512 ? ~UpdateHybrid(~crc, data) : 0;
        return CanFold512;
    }

    /// <summary>Test hook: the 128-bit folding path on its own; false where the CPU lacks PCLMULQDQ.</summary>
    internal static bool TryAppendFold128(uint crc, ReadOnlySpan<byte> data, out uint result)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(data.Length, 64, nameof(data));
        result = CanFold128 ? ~UpdateFold128(~crc, data) : 0;
        return CanFold128;
    }

    /// <summary>Test hook: the three interleaved crc32 streams, which folding replaced on CPUs that have it.</summary>
    internal static bool TryAppendThreeWay(uint crc, ReadOnlySpan<byte> data, out uint result)
    {
        result = Sse42.X64.IsSupported ? ~UpdateThreeWay(~crc, data) : 0;
        return Sse42.X64.IsSupported;
    }
}
