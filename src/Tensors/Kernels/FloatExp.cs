using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Framework.Tensors.Kernels;

/// <summary>A float32 <c>exp</c> that streams at memory speed: at most 1 ulp from the correctly rounded result, the
/// same bits on the AVX-512, Vector256 and scalar paths.</summary>
/// <remarks>
/// <para>
/// <c>exp(x) = 2ⁿ · eʳ</c> with <c>n = round(x · log₂e)</c> and <c>r = x − n · ln 2</c>, the product subtracted in two
/// fused steps (Cody–Waite: ln 2 split into a 16-bit head and a tail) so r keeps its low bits. eʳ for |r| ≤ ln 2 / 2 is
/// a degree-6 polynomial interpolating eʳ at the Chebyshev nodes (relative error 2.2e−8, a third of float's half-ulp;
/// Taylor needs degree 7 for that, and every multiply-add counts here). The scaling by 2ⁿ is exact except for one
/// final rounding, which also produces correctly rounded subnormals.
/// </para>
/// <para>
/// Why not <c>TensorPrimitives.Exp</c>: for float it widens to double and runs a double polynomial, about three times
/// the instructions, which made <c>Exp</c> and softmax compute-bound at a third of memory bandwidth. The AVX-512 loop
/// here is 12 arithmetic instructions per 16 floats, which one core retires about as fast as it can stream them.
/// </para>
/// <para>
/// Special values: x is clamped to [−150, 150] first, beyond which the result is 0 or +∞ anyway (e⁻¹⁰⁴ is below
/// half the smallest subnormal, e⁸⁹ above float's maximum), so ±∞ give 0 and +∞. The clamp passes NaN through
/// (x86 <c>maxps</c>/<c>minps</c> return their second operand when either is NaN, Arm's propagate it), and so does
/// every later step: NaN gives NaN with no extra select. Every path performs the same IEEE operations in the same
/// order, so results never depend on the vector width.
/// </para>
/// </remarks>
internal static partial class FloatExp
{
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2Hi = 0.693145751953125f;          // 0x3F317200: n · Ln2Hi is exact for |n| < 2⁹
    private const float Ln2Lo = 1.42860682030941723e-6f;     // ln 2 − Ln2Hi
    private const float MinInput = -150f;
    private const float MaxInput = 150f;
    // eʳ ≈ 1 + r + r²/2 + C3·r³ + … + C6·r⁶: interpolation at the 7 Chebyshev nodes of [−ln 2 / 2, ln 2 / 2],
    // coefficients rounded to float (the constant, linear and quadratic ones round to exactly 1, 1 and 1/2).
    private const float C3 = 0.16666415333747864f, C4 = 0.04166635125875473f, C5 = 0.00837512593716383f, C6 = 0.0013941108481958508f;

    /// <summary>Selects a path; tests force the narrower ones to check that they give the same bits.</summary>
    internal enum Path
    {
        /// <summary>One element at a time.</summary>
        Scalar,

        /// <summary>Eight lanes (AVX2 on x64, two NEON registers on Arm).</summary>
        Vector256,

        /// <summary>Sixteen lanes with <c>vscalefps</c> for the 2ⁿ scaling.</summary>
        Avx512,
    }

    /// <summary>The widest path this machine runs well.</summary>
    internal static Path Best { get; } =
        Avx512F.IsSupported && Vector512.IsHardwareAccelerated ? Path.Avx512
        : Vector256.IsHardwareAccelerated ? Path.Vector256
        : Path.Scalar;

    /// <summary>y = exp(x) element-wise; <paramref name="y"/> may be <paramref name="x"/>.</summary>
    public static void Exp(ReadOnlySpan<float> x, Span<float> y) => Exp(x, y, Best);

    /// <inheritdoc cref="Exp(ReadOnlySpan{float}, Span{float})"/>
    internal static void Exp(ReadOnlySpan<float> x, Span<float> y, Path path)
    {
        if (y.Length < x.Length) throw new ArgumentException("The destination is shorter than the source.", nameof(y));
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        int done = path switch
        {
            Path.Avx512 => Exp512(ref xs, ref ys, x.Length),
            Path.Vector256 => Exp256(ref xs, ref ys, x.Length),
            _ => 0,
        };
        for (int i = done; i < x.Length; i++) Unsafe.Add(ref ys, i) = Exp(Unsafe.Add(ref xs, i));
    }

    /// <summary>y = exp(x − shift) element-wise, returning Σ y (for softmax rows); <paramref name="y"/> may be <paramref name="x"/>.</summary>
    /// <remarks>The sum is accumulated in 16 lanes over whole blocks of 16, the lanes reduced in a fixed tree, then the
    /// tail added in order, on every path: the sum, too, does not depend on the vector width.</remarks>
    public static float ExpShifted(ReadOnlySpan<float> x, float shift, Span<float> y) => ExpShifted(x, shift, y, Best);

    /// <inheritdoc cref="ExpShifted(ReadOnlySpan{float}, float, Span{float})"/>
    internal static float ExpShifted(ReadOnlySpan<float> x, float shift, Span<float> y, Path path)
    {
        if (y.Length < x.Length) throw new ArgumentException("The destination is shorter than the source.", nameof(y));
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        int blocks = x.Length / 16;
        float sum = path switch
        {
            Path.Avx512 => ShiftedBlocks512(ref xs, ref ys, blocks, shift),
            Path.Vector256 => ShiftedBlocks256(ref xs, ref ys, blocks, shift),
            _ => ShiftedBlocksScalar(ref xs, ref ys, blocks, shift),
        };
        for (int i = blocks * 16; i < x.Length; i++)
        {
            float e = Exp(Unsafe.Add(ref xs, i) - shift);
            Unsafe.Add(ref ys, i) = e;
            sum += e;
        }
        return sum;
    }

    /// <summary>exp(x) for one element, by the same operations as the vector paths.</summary>
    public static float Exp(float x)
    {
        if (float.IsNaN(x)) return x;
        float clamped = Math.Clamp(x, MinInput, MaxInput);
        float n = MathF.Round(clamped * Log2E);
        float r = MathF.FusedMultiplyAdd(n, -Ln2Hi, clamped);
        r = MathF.FusedMultiplyAdd(n, -Ln2Lo, r);
        float p = MathF.FusedMultiplyAdd(C6, r, C5);
        p = MathF.FusedMultiplyAdd(p, r, C4);
        p = MathF.FusedMultiplyAdd(p, r, C3);
        p = MathF.FusedMultiplyAdd(p, r, 0.5f);
        p = MathF.FusedMultiplyAdd(p, r, 1f);
        p = MathF.FusedMultiplyAdd(p, r, 1f);
        // 2ⁿ in two halves, each a normal float: the first product is exact, the second rounds once, like vscalefps.
        int ni = (int)n, half = ni >> 1;
        return p * Pow2(half) * Pow2(ni - half);
    }

    private static float Pow2(int n) => BitConverter.Int32BitsToSingle((n + 127) << 23);

    private static float ShiftedBlocksScalar(ref float xs, ref float ys, int blocks, float shift)
    {
        Span<float> lanes = stackalloc float[16];
        for (int b = 0; b < blocks; b++)
        {
            for (int lane = 0; lane < 16; lane++)
            {
                int i = b * 16 + lane;
                float e = Exp(Unsafe.Add(ref xs, i) - shift);
                Unsafe.Add(ref ys, i) = e;
                lanes[lane] += e;
            }
        }
        return SumLanes(lanes);
    }

    /// <summary>Σ of 16 lanes in a fixed tree: halves added lane-wise down to one (as <c>Sum8</c> does with vectors).</summary>
    private static float SumLanes(Span<float> lanes)
    {
        for (int width = 8; width >= 1; width /= 2)
            for (int lane = 0; lane < width; lane++)
                lanes[lane] += lanes[lane + width];
        return lanes[0];
    }
}
