using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Framework.Tensors.Kernels;

/// <summary>Softmax and log-softmax of contiguous float32 rows, each row in three passes while it sits in L1.</summary>
/// <remarks>
/// The passes: the maximum (<see cref="FloatMax"/>); exp(x − max) written out and summed in the same pass
/// (<see cref="FloatExp.ExpShifted(ReadOnlySpan{float}, float, Span{float})"/>); then the scaling by 1 / Σ, or for
/// log-softmax x − (max + log Σ). Only the first pass reads memory; the row is in L1 for the other two. Multiplying
/// by the reciprocal adds at most one rounding (≤ 1 ulp) over dividing; a 512-bit divide costs about as much as
/// the rest of the pass. Every row is computed the same way whichever thread runs it.
/// </remarks>
internal static class FloatSoftmax
{
    /// <summary>Computes <paramref name="rows"/> rows of <paramref name="length"/> elements.</summary>
    public static void Rows(ReadOnlySpan<float> x, int rows, int length, bool log, Span<float> y)
    {
        for (int o = 0; o < rows; o++)
        {
            var row = x.Slice(o * length, length);
            var output = y.Slice(o * length, length);
            float max = FloatMax.Max(row);
            float sum = FloatExp.ExpShifted(row, max, output);
            if (log) TensorPrimitives.Subtract(row, max + MathF.Log(sum), output);
            else Scale(output, 1f / sum);
        }
    }

    /// <summary>y *= factor in place; a plain loop, because for a 4 KB row the library call's checks cost about as
    /// much as the multiplies.</summary>
    private static void Scale(Span<float> y, float factor)
    {
        ref float ys = ref MemoryMarshal.GetReference(y);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var f = Vector512.Create(factor);
            for (; i + 16 <= y.Length; i += 16) (Vector512.LoadUnsafe(ref ys, (nuint)i) * f).StoreUnsafe(ref ys, (nuint)i);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var f = Vector256.Create(factor);
            for (; i + 8 <= y.Length; i += 8) (Vector256.LoadUnsafe(ref ys, (nuint)i) * f).StoreUnsafe(ref ys, (nuint)i);
        }
        for (; i < y.Length; i++) Unsafe.Add(ref ys, i) *= factor;
    }
}
