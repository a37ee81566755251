using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Framework.Tensors.Kernels;

/// <summary>Softmax and log-softmax of contiguous float32 rows.</summary>
/// <remarks>
/// <para>
/// Per row: the maximum (<see cref="FloatMax"/>); exp(x − max) written out and summed in the same pass (softmax's
/// own base-2 exponential, FloatSoftmax.Exp.cs; log-softmax keeps <see cref="FloatExp"/>); then the scaling by 1 / Σ, or for log-softmax x − (max + log Σ). Multiplying by the
/// reciprocal adds at most one rounding (≤ 1 ulp) over dividing; a 512-bit divide costs about as much as the rest of
/// the pass.
/// </para>
/// <para>
/// Done one pass after another, the passes wait on memory in turn: the max pass on reading the row, the scaling on the
/// write-allocate of the output lines, while the exp pass between them is bound by arithmetic. With AVX-512, softmax
/// therefore runs as a pipeline over rows instead: one loop computes the exponentials of row o into an L1 scratch
/// row, the maximum of row o + 1 and the scaled output of row o − 1, so the memory traffic of the neighbours hides
/// under the exp arithmetic. It performs the same operations on the same values as the passes one after another, so
/// every path and every thread count gives the same bits.
/// </para>
/// </remarks>
internal static partial class FloatSoftmax
{
    /// <summary>The longest row the pipeline takes: two scratch rows of it live on the stack, 16 KB.</summary>
    private const int MaxPipelinedLength = 2048;

    /// <summary>Computes <paramref name="rows"/> rows of <paramref name="length"/> elements.</summary>
    public static void Rows(ReadOnlySpan<float> x, int rows, int length, bool log, Span<float> y)
    {
        if (!log && rows > 1 && length <= MaxPipelinedLength && HasAvx512) Pipelined(x, rows, length, y);
        else Passes(x, rows, length, log, y, FloatExp.Best);
    }

    /// <summary>One pass after another per row (log-softmax, long rows, machines without AVX-512).</summary>
    internal static void Passes(ReadOnlySpan<float> x, int rows, int length, bool log, Span<float> y, FloatExp.Path path)
    {
        for (int o = 0; o < rows; o++)
        {
            var row = x.Slice(o * length, length);
            var output = y.Slice(o * length, length);
            float max = FloatMax.Max(row);
            float sum = log ? FloatExp.ExpShifted(row, max, output, path) : ExpShifted(row, max, output, path);
            if (log) TensorPrimitives.Subtract(row, max + MathF.Log(sum), output);
            else Scale(output, 1f / sum, output);
        }
    }

    // No zeroing of the scratch rows on every call (0.2 µs): every scratch element is written before it is read.
    [SkipLocalsInit]
    private static void Pipelined(ReadOnlySpan<float> x, int rows, int length, Span<float> y)
    {
        Span<float> scratch = stackalloc float[2 * length];
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        float max = FloatMax.Max(x[..length]), previousFactor = 0f;
        for (int o = 0; o < rows; o++)
        {
            var current = scratch.Slice(o % 2 * length, length);
            var spare = scratch.Slice((o + 1) % 2 * length, length);
            // The first row has no predecessor: it scales its own exponentials, each just written, into the spare scratch
            // row, which the next row overwrites before anything reads it. So no unwritten scratch element is ever read.
            var previous = o > 0 ? spare : current;
            var previousOutput = o > 0 ? MemoryMarshal.CreateSpan(ref Unsafe.Add(ref ys, (nint)(o - 1) * length), length) : spare;
            // The last row has no successor: it takes its own maximum again, unused.
            int next = Math.Min(o + 1, rows - 1);
            var rowX = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref xs, (nint)o * length), length);
            var nextX = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref xs, (nint)next * length), length);
            float sum = float.IsFinite(NegM(max))
                ? Step<Fused>(rowX, max, current, nextX, out float nextMax, previous, previousFactor, previousOutput)
                : Step<Separate>(rowX, max, current, nextX, out nextMax, previous, previousFactor, previousOutput);
            max = nextMax;
            previousFactor = 1f / sum;
        }
        Scale(scratch.Slice((rows - 1) % 2 * length, length), previousFactor, y.Slice((rows - 1) * length, length));
    }

    /// <summary>exp(row − max) into <paramref name="exps"/>, returning its sum (as <see cref="ExpShifted(ReadOnlySpan{float}, float, Span{float}, FloatExp.Path)"/>);
    /// the maximum of <paramref name="next"/>; and <paramref name="output"/> = <paramref name="previous"/> · <paramref name="factor"/>.</summary>
    private static float Step<TArg>(ReadOnlySpan<float> row, float max, Span<float> exps, ReadOnlySpan<float> next, out float nextMax,
        ReadOnlySpan<float> previous, float factor, Span<float> output)
        where TArg : struct, IArgument
    {
        ref float xs = ref MemoryMarshal.GetReference(row);
        ref float es = ref MemoryMarshal.GetReference(exps);
        ref float ns = ref MemoryMarshal.GetReference(next);
        ref float ps = ref MemoryMarshal.GetReference(previous);
        ref float os = ref MemoryMarshal.GetReference(output);
        float negM = NegM(max);
        var mx = Vector512.Create(max);
        var nm = Vector512.Create(negM);
        var f = Vector512.Create(factor);
        var acc = Vector512<float>.Zero;
        var m = Vector512.Create(float.NegativeInfinity);
        nuint end = (nuint)(row.Length & ~15);
        for (nuint i = 0; i < end; i += 16)
        {
            var e = Exp2(TArg.Of(Vector512.LoadUnsafe(ref xs, i), mx, nm));
            e.StoreUnsafe(ref es, i);
            acc += e;
            m = Vector512.MaxNative(m, Vector512.LoadUnsafe(ref ns, i));
            (Vector512.LoadUnsafe(ref ps, i) * f).StoreUnsafe(ref os, i);
        }
        float sum = FloatExp.Sum8(acc.GetLower() + acc.GetUpper());
        float largest = FloatMax.Across(m);
        if ((int)end < row.Length)
            sum = StepTail<TArg>((int)end, row, max, negM, exps, next, ref largest, previous, factor, output, sum);
        nextMax = largest;
        return sum;
    }

    // The elements after the last whole vector, in their own method: with the scalar exp's call inside Step, the JIT kept
    // two of the vector loop's five pointers on the stack and reloaded them, plus a jump, on every iteration.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float StepTail<TArg>(int start, ReadOnlySpan<float> row, float max, float negM, Span<float> exps,
        ReadOnlySpan<float> next, ref float nextMax, ReadOnlySpan<float> previous, float factor, Span<float> output, float sum)
        where TArg : struct, IArgument
    {
        for (int i = start; i < row.Length; i++)
        {
            float e = Exp2(TArg.Of(row[i], max, negM));
            exps[i] = e;
            sum += e;
            nextMax = MathF.Max(nextMax, next[i]);
            output[i] = previous[i] * factor;
        }
        return sum;
    }

    /// <summary>y = x · factor; a plain loop, because for a 4 KB row the library call's checks cost about as much as
    /// the multiplies.</summary>
    private static void Scale(ReadOnlySpan<float> x, float factor, Span<float> y)
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var f = Vector512.Create(factor);
            for (; i + 16 <= x.Length; i += 16) (Vector512.LoadUnsafe(ref xs, (nuint)i) * f).StoreUnsafe(ref ys, (nuint)i);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var f = Vector256.Create(factor);
            for (; i + 8 <= x.Length; i += 8) (Vector256.LoadUnsafe(ref xs, (nuint)i) * f).StoreUnsafe(ref ys, (nuint)i);
        }
        for (; i < x.Length; i++) Unsafe.Add(ref ys, i) = Unsafe.Add(ref xs, i) * factor;
    }
}
