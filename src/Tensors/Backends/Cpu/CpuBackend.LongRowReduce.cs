using System.Buffers;
using System.Numerics;
using Framework.Tensors.Kernels;

namespace Framework.Tensors.Backends.Cpu;

internal sealed partial class CpuBackend
{
    /// <summary>Whether a reduction is one long row (the whole of <c>x.Sum()</c>, or the last axis of a tensor with a single
    /// row), large enough to be reduced in fixed blocks across the cores: split by output elements, as
    /// <see cref="TryParallelReduce"/> splits, it has only one, and ran on one core.</summary>
    /// <remarks>The choice and the blocks depend on the shape only, never on the thread count, so 1 and 2 threads give the
    /// same bits.</remarks>
    private static bool UsesLongRowBlocks((int Outer, int Length, int Inner) s) =>
        s.Outer == 1 && s.Inner == 1 && s.Length >= ParallelThreshold;

    /// <summary>y[0] = the reduction of the row: each block of <see cref="ChunkElements"/> reduced by
    /// <c>TensorPrimitives</c>, the blocks across the cores, then their results reduced by <c>TensorPrimitives</c> too, in
    /// an order fixed by the number of blocks.</summary>
    /// <remarks>A sum in blocks rounds differently from one pass over the row (it is, if anything, more accurate: the
    /// partial sums stay smaller); a maximum or minimum is exact either way.</remarks>
    private static unsafe void ReduceLongRow<T>(ReduceOp op, ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, INumber<T>, IMinMaxValue<T>
    {
        int blocks = Chunks(x.Length);
        T[] partials = ArrayPool<T>.Shared.Rent(blocks);
        try
        {
            fixed (T* px = x, pp = partials)
            {
                var body = new LongRowBlock<T> { Op = op, X = px, Length = x.Length, Partials = pp };
                CpuParallel.For(blocks, ref body);
            }
            y[0] = ReduceRow(op, partials.AsSpan(0, blocks));
        }
        finally
        {
            ArrayPool<T>.Shared.Return(partials);
        }
    }

    private unsafe struct LongRowBlock<T> : IParallelBody where T : unmanaged, INumber<T>, IMinMaxValue<T>
    {
        public ReduceOp Op;
        public T* X;
        public int Length;
        public T* Partials;

        public readonly void Invoke(int index)
        {
            int start = index * ChunkElements;
            Partials[index] = ReduceRow(Op, new ReadOnlySpan<T>(X + start, Math.Min(ChunkElements, Length - start)));
        }
    }
}
