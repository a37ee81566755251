using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Framework.Tensors.Kernels;

/// <remarks>
/// <para>
/// Softmax's own exponential, in base 2. <c>exp(x − max) = 2^t</c> with <c>t = x · log₂e − max · log₂e</c>, one fused
/// multiply-add per element with the product <c>M = max · log₂e</c> rounded once per row: an error in M scales every
/// exponential of the row by the same factor, which the division by their sum cancels. Then <c>2^t = 2^⌊t⌋ · 2^f</c>
/// with <c>f = t − ⌊t⌋</c> in [0, 1] (<c>vreduceps</c>, one instruction, which rounds the difference down where
/// it is inexact, for t in (−½, 0); the other paths do the same), 2^f a degree-6 polynomial, and 2^⌊t⌋
/// applied by <c>vscalefps</c>, which floors its exponent operand itself, so t goes in as it is: 9 instructions per
/// 16 floats against <see cref="FloatExp"/>'s 12 plus the subtraction of the max, which kept the pipeline
/// compute-bound.
/// </para>
/// <para>
/// Accuracy: the polynomial's relative error is 6.6e−8 (1.07 ulp) evaluated in float; rounding t to float adds
/// |x − max| · 2⁻²⁴ relative (rounding x − max does the same in the obvious code), the float log₂e another
/// |x − max| · 1.4e−8. <c>FloatExp</c> (≤ 1 ulp) stays the exp of <c>Tensor.Exp</c> and of log-softmax, whose
/// outputs are x − max − log Σ and need only the sum.
/// </para>
/// <para>
/// Special values: <c>vreduceps</c> gives 0 for ±∞ and <c>vscalefps</c> 0 for a scale of −∞, so x = −∞ (or
/// t ≤ −151) gives exactly 0 with no clamp, and NaN passes through both. The Vector256 and scalar paths clamp t to
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

    // 2^f ≈ 1 + C1·f + … + C6·f⁶ on [0, 1]: the minimax fit of the relative error with the constant fixed at 1 (so the
    // row maximum maps to exactly 1), by tests/tools/softmax_exp2_fit.py (Lawson's iteration), rounded to float.
    private const float C1 = 0.6931470632553101f, C2 = 0.2402293086051941f, C3 = 0.055485282093286514f;
    private const float C4 = 0.00967545248568058f, C5 = 0.0012467839987948537f, C6 = 0.00021612939599435776f;

    /// <summary><c>vreduceps</c> control: keep no fraction bits, round down (so the result is t − ⌊t⌋), suppress the
    /// precision exception.</summary>
    private const byte FloorFraction = 0x09;

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
        var f = Avx512DQ.Reduce(t, FloorFraction);
        var p = Vector512.FusedMultiplyAdd(Vector512.Create(C6), f, Vector512.Create(C5));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(C4));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(C3));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(C2));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(C1));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512<float>.One);
        return Avx512F.Scale(p, t);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Exp2(Vector256<float> t)
    {
        // t second: NaN survives the clamp (vmaxps/vminps return their second operand when either is NaN).
        t = Vector256.MinNative(Vector256.Create(MaxArgument), Vector256.MaxNative(Vector256.Create(MinArgument), t));
        var n = Vector256.Floor(t);
        // f = t − n rounded down, as vreduceps rounds it: the sum s is exact except for t in (−½, 0), where
        // Fast2Sum's error term (|n| ≥ |t| there) says whether it rounded up; then one step down (s > 0).
        var f = t - n;
        var roundedUp = Vector256.LessThan(t - (f + n), Vector256<float>.Zero);
        f = (f.AsInt32() + roundedUp.AsInt32()).AsSingle();
        var p = Vector256.FusedMultiplyAdd(Vector256.Create(C6), f, Vector256.Create(C5));
        p = Vector256.FusedMultiplyAdd(p, f, Vector256.Create(C4));
        p = Vector256.FusedMultiplyAdd(p, f, Vector256.Create(C3));
        p = Vector256.FusedMultiplyAdd(p, f, Vector256.Create(C2));
        p = Vector256.FusedMultiplyAdd(p, f, Vector256.Create(C1));
        p = Vector256.FusedMultiplyAdd(p, f, Vector256<float>.One);
        // 2ⁿ in two halves, each a normal float, as FloatExp does: the first product is exact, the second rounds once.
        var ni = Vector256.ConvertToInt32Native(n);
        var half = Vector256.ShiftRightArithmetic(ni, 1);
        var bias = Vector256.Create(127);
        return p * Vector256.ShiftLeft(half + bias, 23).AsSingle() * Vector256.ShiftLeft(ni - half + bias, 23).AsSingle();
    }

    /// <summary>2^t for one element, by the same operations as the vector paths.</summary>
    private static float Exp2(float t)
    {
        if (float.IsNaN(t)) return t;
        t = Math.Clamp(t, MinArgument, MaxArgument);
        float n = MathF.Floor(t);
        float f = t - n;
        if (t - (f + n) < 0f) f = MathF.BitDecrement(f); // rounded down, as in the Vector256 path
        float p = MathF.FusedMultiplyAdd(C6, f, C5);
        p = MathF.FusedMultiplyAdd(p, f, C4);
        p = MathF.FusedMultiplyAdd(p, f, C3);
        p = MathF.FusedMultiplyAdd(p, f, C2);
        p = MathF.FusedMultiplyAdd(p, f, C1);
        p = MathF.FusedMultiplyAdd(p, f, 1f);
        int ni = (int)n, half = ni >> 1;
        return p * Pow2(half) * Pow2(ni - half);
    }

    private static float Pow2(int n) => BitConverter.Int32BitsToSingle((n + 127) << 23);
}
