using System.Buffers;
using System.Numerics;
using Framework.Tensors.Kernels;

namespace Framework.Tensors.Backends.Cpu;

internal sealed partial class CpuBackend
{
    /// <summary>Whether a sum over a non-innermost axis is large enough, and has too few columns to split between threads,
    /// to be summed in fixed blocks of rows instead: <c>rows.Sum(0)</c> on a 1024 × 1024 matrix is one column strip, and
    /// split by columns alone it ran on one core at 71% of a copy's bandwidth.</summary>
    /// <remarks>The choice depends on the shape only, never on the thread count, so a given shape is always summed in the
    /// same order: 1 and 2 threads give the same bits.</remarks>
    private static bool UsesRowBlocks((int Outer, int Length, int Inner) s, int elements) =>
        s.Outer == 1 && s.Inner is > 1 and <= MinStripColumns && elements >= ParallelThreshold && s.Length >= 2 * RowsPerSumBlock(s.Inner);

    /// <summary>The narrowest column strip a parallel reduction gives a task (see <see cref="TryParallelReduce"/>): up to this
    /// many columns, a column split cannot use a second core.</summary>
    private const int MinStripColumns = 1024;

    /// <summary>Rows per block: about <see cref="ChunkElements"/> inputs, so blocks balance across the cores.</summary>
    private static int RowsPerSumBlock(int inner) => Math.Max(1, ChunkElements / inner);

    /// <summary>y = Σ rows, as the sum, in block order, of each fixed block of rows' column sums (each block summed top to
    /// bottom by <see cref="ColumnSum"/>); the blocks run across the cores.</summary>
    private static unsafe void SumRowBlocks<T>(ReadOnlySpan<T> x, (int Outer, int Length, int Inner) s, Span<T> y)
        where T : unmanaged, INumber<T>
    {
        int rowsPerBlock = RowsPerSumBlock(s.Inner);
        int blocks = (s.Length + rowsPerBlock - 1) / rowsPerBlock;
        T[] partials = ArrayPool<T>.Shared.Rent(blocks * s.Inner);
        try
        {
            fixed (T* px = x, pp = partials)
            {
                var body = new RowBlockSum<T> { X = px, XLength = x.Length, Partials = pp, Shape = s, RowsPerBlock = rowsPerBlock };
                CpuParallel.For(blocks, ref body);
            }
            ColumnSum.Sum<T>(partials.AsSpan(0, blocks * s.Inner), blocks, s.Inner, y[..s.Inner]);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(partials);
        }
    }

    private unsafe struct RowBlockSum<T> : IParallelBody where T : unmanaged, INumber<T>
    {
        public T* X;
        public int XLength;
        public T* Partials;
        public (int Outer, int Length, int Inner) Shape;
        public int RowsPerBlock;

        public readonly void Invoke(int index)
        {
            int first = index * RowsPerBlock, rows = Math.Min(RowsPerBlock, Shape.Length - first);
            var source = new ReadOnlySpan<T>(X, XLength).Slice(first * Shape.Inner, rows * Shape.Inner);
            ColumnSum.Sum(source, rows, Shape.Inner, new Span<T>(Partials + (long)index * Shape.Inner, Shape.Inner));
        }
    }
}
