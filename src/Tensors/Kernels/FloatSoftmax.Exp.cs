using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Framework.Tensors.Kernels;

/// <remarks>
/// <para>
/// Softmax's own exponential, in base 2. <c>exp(x − max) = 2^t</c> with <c>t = x · log₂e − max · log₂e</c>, one fused
/// multiply-add per element with the product <c>M = max · log₂e</c> rounded once per row: an error in M scales every
/// exponential of the row by the same factor, which the division by their sum cancels. Then
/// <c>2^t = 2^⌊t⌋ · 2^(j/16) · 2^r</c> with <c>r = t − ⌊16t⌋/16</c> in [0, 1/16) (<c>vreduceps</c> with four fraction
/// bits, one instruction, which rounds the difference down where it is inexact, for t in (−1/32, 0); the other paths
/// do the same), j = 16 · (⌊16t⌋/16 − ⌊t⌋) the low four bits of t + 1.5 · 2¹⁹ rounded down (one addition with
/// embedded rounding), 2^(j/16) read from a 16-entry table in a register by <c>vpermps</c> with those bits as the
/// index, 2^r a degree-3 polynomial, and 2^⌊t⌋ applied by <c>vscalefps</c>, which floors its exponent operand itself,
/// so t goes in as it is. Nine instructions per 16 floats as with a degree-6 polynomial on [0, 1), but five of them
/// on the multiply-add pipes (t, two for the polynomial, T·r, T + T·r·q) instead of seven: 2^t alone runs about 16%
/// faster on L1-resident data (Zen 5).
/// </para>
/// <para>
/// Accuracy: table and polynomial together are within 1.03 ulp evaluated in float; rounding t to float adds
/// |x − max| · 2⁻²⁴ relative (rounding x − max does the same in the obvious code), the float log₂e another
/// |x − max| · 1.4e−8. <c>FloatExp</c> (≤ 1 ulp) stays the exp of <c>Tensor.Exp</c> and of log-softmax, whose
/// outputs are x − max − log Σ and need only the sum.
/// </para>
/// <para>
/// Special values: <c>vreduceps</c> gives 0 for ±∞, the index of t = −∞ is −∞, whose bits select T[0], and
/// <c>vscalefps</c> gives 0 for a scale of −∞; x = −∞ (or t ≤ −151, where a wrong index for |t| ≥ 2¹⁸ no longer
/// matters) gives exactly 0 with no clamp, and NaN passes through every step. The Vector256 and scalar paths clamp t to
/// [−200, 200] first, which changes no result (2^t is 0 below −150 and +∞ above 128 either way), and then perform
/// the same IEEE operations, so every path gives the same bits. If M overflows (|max| above about 2.4e38) or max is
/// not finite, the row uses <c>t = (x − max) · log₂e</c> instead, on every path: a row of −∞ then gives NaN as
/// before, and huge finite logits still work.
/// </para>
/// </remarks>
internal static partial class FloatSoftmax
{
    private const float Log2E = 1.44269504088896341f;
    private const float MinArgument = -200f;
    private const float MaxArgument = 200f;

    // 2^t = 2^⌊t⌋ · T[j] · 2^r with t = ⌊t⌋ + j/16 + r, r in [0, 1/16): T[j] = 2^(j/16) rounded to float (T[0] = 1), and
    // 2^r ≈ 1 + C1·r + C2·r² + C3·r³, the minimax fit of the relative error with the constant fixed at 1 (so the row
    // maximum maps to exactly 1), by tests/tools/softmax_exp2_table_fit.py (Lawson's iteration), rounded to float.
    private const float C1 = 0.693147599697113f, C2 = 0.2401842474937439f, C3 = 0.05666987597942352f;

    private const float T0 = 1f, T1 = 1.0442737340927124f, T2 = 1.0905077457427979f, T3 = 1.1387885808944702f;
    private const float T4 = 1.1892070770263672f, T5 = 1.2418577671051025f, T6 = 1.2968395948410034f, T7 = 1.3542555570602417f;
    private const float T8 = 1.4142135381698608f, T9 = 1.4768261909484863f, T10 = 1.5422108173370361f, T11 = 1.610490322113037f;
    private const float T12 = 1.6817928552627563f, T13 = 1.7562521696090698f, T14 = 1.8340080976486206f, T15 = 1.9152065515518188f;

    private static ReadOnlySpan<float> Table => [T0, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15];

    /// <summary>1.5 · 2¹⁹, whose ulp is 1/16: t + it rounded down is 1.5 · 2¹⁹ + ⌊16t⌋/16, which holds ⌊16t⌋ mod 16 in
    /// its low four bits, for |t| &lt; 2¹⁸.</summary>
    private const float IndexShift = 786432f;

    /// <summary><c>vreduceps</c> control: keep four fraction bits (bits 7:4), round down (bits 1:0 = 01, so the result
    /// is t − ⌊16t⌋/16), suppress the precision exception (bit 3).</summary>
    private const byte FloorSixteenths = 0x49;

    /// <summary>Whether the AVX-512 loops may run: they need <c>vreduceps</c> (AVX-512DQ) beside AVX-512F.</summary>
    private static bool HasAvx512 { get; } = FloatExp.Best == FloatExp.Path.Avx512 && Avx512DQ.IsSupported;

    /// <summary>How a row turns x into the base-2 argument t.</summary>
    private interface IArgument
    {
        static abstract Vector512<float> Of(Vector512<float> x, Vector512<float> max, Vector512<float> negM);
        static abstract Vector256<float> Of(Vector256<float> x, Vector256<float> max, Vector256<float> negM);
        static abstract float Of(float x, float max, float negM);
    }

    /// <summary>t = x · log₂e − M in one rounding, for rows whose M is finite.</summary>
    private readonly struct Fused : IArgument
    {
        public static Vector512<float> Of(Vector512<float> x, Vector512<float> max, Vector512<float> negM) =>
            Vector512.FusedMultiplyAdd(x, Vector512.Create(Log2E), negM);

        public static Vector256<float> Of(Vector256<float> x, Vector256<float> max, Vector256<float> negM) =>
            Vector256.FusedMultiplyAdd(x, Vector256.Create(Log2E), negM);

        public static float Of(float x, float max, float negM) => MathF.FusedMultiplyAdd(x, Log2E, negM);
    }

    /// <summary>t = (x − max) · log₂e, for rows whose M overflows or whose max is ±∞ or NaN.</summary>
    private readonly struct Separate : IArgument
    {
        public static Vector512<float> Of(Vector512<float> x, Vector512<float> max, Vector512<float> negM) =>
            (x - max) * Vector512.Create(Log2E);

        public static Vector256<float> Of(Vector256<float> x, Vector256<float> max, Vector256<float> negM) =>
            (x - max) * Vector256.Create(Log2E);

        public static float Of(float x, float max, float negM) => (x - max) * Log2E;
    }

    /// <summary>−M for the fused argument; not finite when the row needs <see cref="Separate"/>.</summary>
    private static float NegM(float max) => -(max * Log2E);

    /// <summary>y = exp(x − max) element-wise by softmax's exponential, returning Σ y with the lanes summed as
    /// <see cref="FloatExp.ExpShifted(ReadOnlySpan{float}, float, Span{float})"/> does; the same bits on every path.</summary>
    internal static float ExpShifted(ReadOnlySpan<float> x, float max, Span<float> y, FloatExp.Path path) =>
        float.IsFinite(NegM(max)) ? ExpShifted<Fused>(x, max, y, path) : ExpShifted<Separate>(x, max, y, path);

    /// <summary>y = 2^t element-wise by the given path's exponential, with no clamp beyond its own; for the tests.</summary>
    internal static void Exp2(ReadOnlySpan<float> t, Span<float> y, FloatExp.Path path)
    {
        int i = 0;
        if (path == FloatExp.Path.Avx512 && HasAvx512)
            for (; i + 16 <= t.Length; i += 16) Exp2(Vector512.Create(t.Slice(i, 16))).CopyTo(y.Slice(i, 16));
        else if (path == FloatExp.Path.Vector256)
            for (; i + 8 <= t.Length; i += 8) Exp2(Vector256.Create(t.Slice(i, 8))).CopyTo(y.Slice(i, 8));
        for (; i < t.Length; i++) y[i] = Exp2(t[i]);
    }

    private static float ExpShifted<TArg>(ReadOnlySpan<float> x, float max, Span<float> y, FloatExp.Path path)
        where TArg : struct, IArgument
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        int end = x.Length & ~15;
        float negM = NegM(max);
        float sum = path == FloatExp.Path.Avx512 && HasAvx512 ? Blocks512<TArg>(ref xs, ref ys, end, max, negM)
            : path != FloatExp.Path.Scalar ? Blocks256<TArg>(ref xs, ref ys, end, max, negM)
            : BlocksScalar<TArg>(ref xs, ref ys, end, max, negM);
        for (int i = end; i < x.Length; i++)
        {
            float e = Exp2(TArg.Of(Unsafe.Add(ref xs, i), max, negM));
            Unsafe.Add(ref ys, i) = e;
            sum += e;
        }
        return sum;
    }

    private static float Blocks512<TArg>(ref float xs, ref float ys, int end, float max, float negM) where TArg : struct, IArgument
    {
        var mx = Vector512.Create(max);
        var nm = Vector512.Create(negM);
        var acc = Vector512<float>.Zero;
        for (nuint i = 0; i < (nuint)end; i += 16)
        {
            var e = Exp2(TArg.Of(Vector512.LoadUnsafe(ref xs, i), mx, nm));
            e.StoreUnsafe(ref ys, i);
            acc += e;
        }
        return FloatExp.Sum8(acc.GetLower() + acc.GetUpper());
    }

    /// <remarks>Two registers stand for the 16 lanes of the AVX-512 path, so the running sums match lane for lane.</remarks>
    private static float Blocks256<TArg>(ref float xs, ref float ys, int end, float max, float negM) where TArg : struct, IArgument
    {
        var mx = Vector256.Create(max);
        var nm = Vector256.Create(negM);
        Vector256<float> low = Vector256<float>.Zero, high = Vector256<float>.Zero;
        for (nuint i = 0; i < (nuint)end; i += 16)
        {
            var e0 = Exp2(TArg.Of(Vector256.LoadUnsafe(ref xs, i), mx, nm));
            var e1 = Exp2(TArg.Of(Vector256.LoadUnsafe(ref xs, i + 8), mx, nm));
            e0.StoreUnsafe(ref ys, i);
            e1.StoreUnsafe(ref ys, i + 8);
            low += e0;
            high += e1;
        }
        return FloatExp.Sum8(low + high);
    }

    private static float BlocksScalar<TArg>(ref float xs, ref float ys, int end, float max, float negM) where TArg : struct, IArgument
    {
        Span<float> lanes = stackalloc float[16];
        for (int i = 0; i < end; i++)
        {
            float e = Exp2(TArg.Of(Unsafe.Add(ref xs, i), max, negM));
            Unsafe.Add(ref ys, i) = e;
            lanes[i & 15] += e;
        }
        // The tree of FloatExp.Sum8 after its first level (lane i + 8 into lane i).
        for (int width = 8; width >= 1; width /= 2)
            for (int lane = 0; lane < width; lane++)
                lanes[lane] += lanes[lane + width];
        return lanes[0];
    }

    /// <summary>2^t for 16 lanes; needs AVX-512F and AVX-512DQ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Exp2(Vector512<float> t)
    {
        var r = Avx512DQ.Reduce(t, FloorSixteenths);
        // 1.5 · 2¹⁹ + ⌊16t⌋/16 by one addition rounded down; vpermps reads only the low four bits of the index.
        // t = −∞ gives index 0, r = 0 and a scale of −∞, so 0.
        var index = Avx512F.Add(t, Vector512.Create(IndexShift), FloatRoundingMode.ToNegativeInfinity);
        var table = Vector512.Create(T0, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15);
        var tj = Avx512F.PermuteVar16x32(table, index.AsInt32());
        var q = Vector512.FusedMultiplyAdd(Vector512.Create(C3), r, Vector512.Create(C2));
        q = Vector512.FusedMultiplyAdd(q, r, Vector512.Create(C1));
        // T·(1 + r·q) as T + (T·r)·q: the polynomial's roundings only touch the small term, and T·r runs beside q.
        var p = Vector512.FusedMultiplyAdd(tj * r, q, tj);
        return Avx512F.Scale(p, t);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Exp2(Vector256<float> t)
    {
        // t second: NaN survives the clamp (vmaxps/vminps return their second operand when either is NaN).
        t = Vector256.MinNative(Vector256.Create(MaxArgument), Vector256.MaxNative(Vector256.Create(MinArgument), t));
        var n16 = Vector256.Floor(t * 16f);
        var u = n16 * (1f / 16);
        // r = t − u rounded down, as vreduceps rounds it: the difference s is exact except for t in (−1/32, 0), where
        // Fast2Sum's error term (|u| ≥ |t| there) says whether it rounded up; then one step down (s > 0).
        var r = t - u;
        var roundedUp = Vector256.LessThan(t - (r + u), Vector256<float>.Zero);
        r = (r.AsInt32() + roundedUp.AsInt32()).AsSingle();
        var i16 = Vector256.ConvertToInt32Native(n16);
        var tj = Lookup(i16 & Vector256.Create(15));
        var q = Vector256.FusedMultiplyAdd(Vector256.Create(C3), r, Vector256.Create(C2));
        q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(C1));
        var p = Vector256.FusedMultiplyAdd(tj * r, q, tj);
        // 2ⁿ, n = ⌊u⌋, in two halves, each a normal float, as FloatExp does: the first product is exact, the second
        // rounds once.
        var ni = Vector256.ShiftRightArithmetic(i16, 4);
        var half = Vector256.ShiftRightArithmetic(ni, 1);
        var bias = Vector256.Create(127);
        return p * Vector256.ShiftLeft(half + bias, 23).AsSingle() * Vector256.ShiftLeft(ni - half + bias, 23).AsSingle();
    }

    /// <summary>T[j] for j in [0, 15].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Lookup(Vector256<int> j)
    {
        var low = Vector256.Create(T0, T1, T2, T3, T4, T5, T6, T7);
        var high = Vector256.Create(T8, T9, T10, T11, T12, T13, T14, T15);
        var k = j & Vector256.Create(7);
        var fromHigh = Vector256.Equals(j & Vector256.Create(8), Vector256.Create(8)).AsSingle();
        return Avx2.IsSupported
            ? Vector256.ConditionalSelect(fromHigh, Avx2.PermuteVar8x32(high, k), Avx2.PermuteVar8x32(low, k))
            : Vector256.ConditionalSelect(fromHigh, Vector256.Shuffle(high, k), Vector256.Shuffle(low, k));
    }

    /// <summary>2^t for one element, by the same operations as the vector paths.</summary>
    private static float Exp2(float t)
    {
        if (float.IsNaN(t)) return t;
        t = Math.Clamp(t, MinArgument, MaxArgument);
        float n16 = MathF.Floor(t * 16f);
        float u = n16 * (1f / 16);
        float r = t - u;
        if (t - (r + u) < 0f) r = MathF.BitDecrement(r); // rounded down, as in the Vector256 path
        int i16 = (int)n16;
        float tj = Table[i16 & 15];
        float q = MathF.FusedMultiplyAdd(C3, r, C2);
        q = MathF.FusedMultiplyAdd(q, r, C1);
        float p = MathF.FusedMultiplyAdd(tj * r, q, tj);
        int ni = i16 >> 4, half = ni >> 1;
        return p * Pow2(half) * Pow2(ni - half);
    }

    private static float Pow2(int n) => BitConverter.Int32BitsToSingle((n + 127) << 23);
}
