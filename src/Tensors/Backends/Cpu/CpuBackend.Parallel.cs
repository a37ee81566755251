using System.Numerics;
using Framework.Tensors.Kernels;

namespace Framework.Tensors.Backends.Cpu;

internal sealed partial class CpuBackend
{
    /// <summary>Element-wise work below this many elements stays on the calling thread: a hand-off costs microseconds.</summary>
    internal const int ParallelThreshold = 1 << 18;

    /// <summary>Elements per parallel task. Fixed, never derived from the thread count, so results are bit-identical
    /// for any number of threads; a multiple of every vector width, so no element falls into a scalar tail.</summary>
    internal const int ChunkElements = 1 << 15;

    /// <summary>Elements per softmax task: four chunks. Each task restarts the row pipeline (a cold first row, and
    /// output rows the hardware prefetcher has not been following): the second and third rows of a task took 3–8 times
    /// as long as the rest. On two threads, 1M floats in rows of 1024 took 79–82 µs in tasks of four chunks against
    /// 81–91 µs in tasks of one (interleaved runs). Rows are independent, so the split cannot change a result.</summary>
    internal const int SoftmaxTaskElements = 4 * ChunkElements;

    private static int Chunks(int length) => (length + ChunkElements - 1) / ChunkElements;

    /// <summary>Runs a large same-shape unary op across the cores; false when it is too small to be worth it.</summary>
    /// <remarks>With one thread the chunks still run, inline: given a whole large span, <c>TensorPrimitives</c> switches
    /// to non-temporal stores (above 256 KB), which send the output past the caches; a single-threaded 1M-float
    /// <c>a + b</c> took 370 µs that way against about 150 µs in chunks.</remarks>
    private static unsafe bool TryParallelUnary<T>(UnaryOp op, ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length < ParallelThreshold) return false;
        fixed (T* px = x, py = y)
        {
            var body = new UnaryBody<T> { Op = op, X = px, Y = py, Length = x.Length };
            CpuParallel.For(Chunks(x.Length), ref body);
        }
        return true;
    }

    /// <summary>Runs a large binary op whose operands are full-length or one repeated element across the cores.</summary>
    /// <remarks>Chunked even on one thread, for the reason given at <see cref="TryParallelUnary{T}"/>.</remarks>
    private static unsafe bool TryParallelBinary<T>(BinaryOp op, ReadOnlySpan<T> a, bool ar, ReadOnlySpan<T> b, bool br, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (y.Length < ParallelThreshold) return false;
        fixed (T* pa = a, pb = b, py = y)
        {
            var body = new BinaryBody<T> { Op = op, A = pa, ARepeated = ar, B = pb, BRepeated = br, Y = py, Length = y.Length };
            CpuParallel.For(Chunks(y.Length), ref body);
        }
        return true;
    }

    /// <summary>Splits the rows of a large softmax across the cores (each row is computed whole by one thread).</summary>
    private static unsafe bool TryParallelSoftmaxRows<T>(ReadOnlySpan<T> x, int rows, int length, bool log, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length < ParallelThreshold || Threading.MaxThreads == 1 || length == 0) return false;
        // At most a thread's share per task, so that machines with more cores than 1M / SoftmaxTaskElements use them all.
        int taskElements = (int)Math.Min(SoftmaxTaskElements, ((long)x.Length + Threading.MaxThreads - 1) / Threading.MaxThreads);
        int rowsPerTask = Math.Max(1, taskElements / length);
        fixed (T* px = x, py = y)
        {
            var body = new SoftmaxBody<T> { X = px, Y = py, Rows = rows, Length = length, RowsPerTask = rowsPerTask, Log = log };
            CpuParallel.For((rows + rowsPerTask - 1) / rowsPerTask, ref body);
        }
        return true;
    }

    private unsafe struct UnaryBody<T> : IParallelBody where T : unmanaged, IFloatingPointIeee754<T>
    {
        public UnaryOp Op;
        public T* X;
        public T* Y;
        public int Length;

        public readonly void Invoke(int index)
        {
            int start = index * ChunkElements, n = Math.Min(ChunkElements, Length - start);
            Unary(Op, new ReadOnlySpan<T>(X + start, n), new Span<T>(Y + start, n));
        }
    }

    private unsafe struct BinaryBody<T> : IParallelBody where T : unmanaged, IFloatingPointIeee754<T>
    {
        public BinaryOp Op;
        public T* A;
        public bool ARepeated;
        public T* B;
        public bool BRepeated;
        public T* Y;
        public int Length;

        public readonly void Invoke(int index)
        {
            int start = index * ChunkElements, n = Math.Min(ChunkElements, Length - start);
            var a = ARepeated ? new ReadOnlySpan<T>(A, 1) : new ReadOnlySpan<T>(A + start, n);
            var b = BRepeated ? new ReadOnlySpan<T>(B, 1) : new ReadOnlySpan<T>(B + start, n);
            FloatRowSerial(Op, a, ARepeated, b, BRepeated, new Span<T>(Y + start, n));
        }
    }

    private unsafe struct SoftmaxBody<T> : IParallelBody where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T* X;
        public T* Y;
        public int Rows;
        public int Length;
        public int RowsPerTask;
        public bool Log;

        public readonly void Invoke(int index)
        {
            int first = index * RowsPerTask, count = Math.Min(RowsPerTask, Rows - first);
            long offset = (long)first * Length;
            SoftmaxRowsSerial(new ReadOnlySpan<T>(X + offset, count * Length), count, Length, Log, new Span<T>(Y + offset, count * Length));
        }
    }
}
