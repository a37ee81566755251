using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Framework.Tensors.Kernels;

/// <remarks>
/// The float32 AVX-512 path: one pass over each row, 16 units at a time, with σ and tanh built on
/// <see cref="FloatExp.Exp(Vector512{float})"/>. The general path makes eight <c>TensorPrimitives</c> calls per row of
/// 128 units (plus one for tanh of the cell in the gradient), whose per-call overhead outweighs the arithmetic. σ(x) is
/// <c>1 / (1 + e⁻ˣ)</c> and tanh(x) is <c>1 − 2 / (e²ˣ + 1)</c>: both saturate correctly (e overflows to +∞ or
/// underflows to 0), and tanh's absolute error stays within a few float ulps of 1, which is what an LSTM's sums see.
/// </remarks>
internal static partial class LstmCellKernel
{
    /// <summary>Whether float32 rows of <paramref name="units"/> take the AVX-512 path.</summary>
    private static bool UsesAvx512(int units) => Avx512F.IsSupported && Vector512.IsHardwareAccelerated && units % 16 == 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Sigmoid(Vector512<float> x) => Vector512<float>.One / (Vector512<float>.One + FloatExp.Exp(-x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Tanh(Vector512<float> x) =>
        Vector512<float>.One - Vector512.Create(2f) / (FloatExp.Exp(x + x) + Vector512<float>.One);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ForwardAvx512(Span<float> gates, ReadOnlySpan<float> recurrentGates, ReadOnlySpan<float> bias,
        ReadOnlySpan<float> previousCell, Span<float> cell, Span<float> hidden, int units)
    {
        int rows = cell.Length / units;
        // An empty bias pins to null: no bias.
        fixed (float* g0 = gates, r0 = recurrentGates, b = bias, cp0 = previousCell, c0 = cell, h0 = hidden)
        {
            for (int row = 0; row < rows; row++)
            {
                float* g = g0 + (nint)row * 4 * units, r = r0 + (nint)row * 4 * units;
                float* cp = cp0 + (nint)row * units, c = c0 + (nint)row * units, h = h0 + (nint)row * units;
                for (int j = 0; j < units; j += 16)
                {
                    // (gates + recurrent) + bias: the order of the general path.
                    var zi = Vector512.Load(g + j) + Vector512.Load(r + j);
                    var zf = Vector512.Load(g + units + j) + Vector512.Load(r + units + j);
                    var zg = Vector512.Load(g + 2 * units + j) + Vector512.Load(r + 2 * units + j);
                    var zo = Vector512.Load(g + 3 * units + j) + Vector512.Load(r + 3 * units + j);
                    if (b != null)
                    {
                        zi += Vector512.Load(b + j);
                        zf += Vector512.Load(b + units + j);
                        zg += Vector512.Load(b + 2 * units + j);
                        zo += Vector512.Load(b + 3 * units + j);
                    }
                    var i = Sigmoid(zi);
                    var f = Sigmoid(zf);
                    var cand = Tanh(zg);
                    var o = Sigmoid(zo);
                    i.Store(g + j);
                    f.Store(g + units + j);
                    cand.Store(g + 2 * units + j);
                    o.Store(g + 3 * units + j);
                    var cNew = Vector512.FusedMultiplyAdd(f, Vector512.Load(cp + j), i * cand);
                    cNew.Store(c + j);
                    (o * Tanh(cNew)).Store(h + j);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void BackwardAvx512(ReadOnlySpan<float> gates, ReadOnlySpan<float> previousCell, ReadOnlySpan<float> cell,
        ReadOnlySpan<float> hiddenGrad, ReadOnlySpan<float> cellGrad, Span<float> gatesGrad, Span<float> previousCellGrad, int units)
    {
        int rows = cell.Length / units;
        var one = Vector512<float>.One;
        fixed (float* g0 = gates, cp0 = previousCell, c0 = cell, dh0 = hiddenGrad, dc0 = cellGrad, dg0 = gatesGrad, dcp0 = previousCellGrad)
        {
            for (int row = 0; row < rows; row++)
            {
                nint gOff = (nint)row * 4 * units, s = (nint)row * units;
                float* g = g0 + gOff, dg = dg0 + gOff;
                for (int j = 0; j < units; j += 16)
                {
                    var i = Vector512.Load(g + j);
                    var f = Vector512.Load(g + units + j);
                    var cand = Vector512.Load(g + 2 * units + j);
                    var o = Vector512.Load(g + 3 * units + j);
                    var tc = Tanh(Vector512.Load(c0 + s + j));
                    var dh = Vector512.Load(dh0 + s + j);
                    var dc = Vector512.Load(dc0 + s + j) + dh * o * (one - tc * tc);
                    (dh * tc * o * (one - o)).Store(dg + 3 * units + j);
                    (dc * cand * i * (one - i)).Store(dg + j);
                    (dc * Vector512.Load(cp0 + s + j) * f * (one - f)).Store(dg + units + j);
                    (dc * i * (one - cand * cand)).Store(dg + 2 * units + j);
                    (dc * f).Store(dcp0 + s + j);
                }
            }
        }
    }
}
