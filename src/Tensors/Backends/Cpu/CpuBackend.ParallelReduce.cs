using System.Numerics;
using Framework.Tensors.Kernels;

namespace Framework.Tensors.Backends.Cpu;

internal sealed partial class CpuBackend
{
    /// <summary>Splits a large reduction across the cores by output elements: whole rows when the reduced axis is
    /// innermost, blocks of columns otherwise. The split depends only on the shape.</summary>
    private static unsafe bool TryParallelReduce<T>(ReduceOp op, ReadOnlySpan<T> x, (int Outer, int Length, int Inner) s, Span<T> y)
        where T : unmanaged, INumber<T>, IMinMaxValue<T>
    {
        if (x.Length < ParallelThreshold || Threading.MaxThreads == 1 || s.Length == 0) return false;
        // About ChunkElements inputs per task, but strips of at least 1024 columns (4 KB of floats per row): a task
        // walks its strip row after row, and the prefetchers need long runs per page. With 256-column strips,
        // rows.Sum(0) over 1024 × 1024 took 145 µs on two threads against 75 µs whole-row on one.
        // Multiples of 64 keep every vector of a strip whole.
        int columnsPerTask = s.Inner == 1 ? 1 : Math.Min(s.Inner, Math.Max(1024, (ChunkElements / s.Length + 63) & ~63));
        int columnBlocks = (s.Inner + columnsPerTask - 1) / columnsPerTask;
        int outerPerTask = Math.Max(1, ChunkElements / (s.Length * columnsPerTask));
        int outerBlocks = (s.Outer + outerPerTask - 1) / outerPerTask;
        if (outerBlocks * columnBlocks < 2) return false;
        fixed (T* px = x, py = y)
        {
            var body = new ReduceBody<T>
            {
                Op = op, X = px, XLength = x.Length, Y = py, YLength = y.Length, Shape = s,
                OuterPerTask = outerPerTask, ColumnsPerTask = columnsPerTask, ColumnBlocks = columnBlocks,
            };
            CpuParallel.For(outerBlocks * columnBlocks, ref body);
        }
        return true;
    }

    private unsafe struct ReduceBody<T> : IParallelBody where T : unmanaged, INumber<T>, IMinMaxValue<T>
    {
        public ReduceOp Op;
        public T* X;
        public int XLength;
        public T* Y;
        public int YLength;
        public (int Outer, int Length, int Inner) Shape;
        public int OuterPerTask;
        public int ColumnsPerTask;
        public int ColumnBlocks;

        public readonly void Invoke(int index)
        {
            int outerStart = index / ColumnBlocks * OuterPerTask, innerStart = index % ColumnBlocks * ColumnsPerTask;
            ReduceBlock(Op, new ReadOnlySpan<T>(X, XLength), Shape, new Span<T>(Y, YLength),
                outerStart, Math.Min(Shape.Outer, outerStart + OuterPerTask),
                innerStart, Math.Min(Shape.Inner, innerStart + ColumnsPerTask));
        }
    }
}
