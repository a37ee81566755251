using System.Runtime.CompilerServices;
using Framework.Tensors.Storage;

namespace Framework.Tensors.Backends.Cpu;

/// <summary>The managed CPU backend: SIMD through System.Numerics.Tensors, packed SGEMM, pooled buffers.</summary>
internal sealed partial class CpuBackend : IBackend, IFusedOptimizerKernels
{
    public Device Device => Device.Cpu;

    public TensorStorage Allocate(DType dtype, int length) => CpuStorage.Allocate(dtype, length);

    /// <summary>The elements of a CPU tensor as a span.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Span<T> Span<T>(Tensor t) where T : unmanaged =>
        ((CpuStorage)t.Storage).Span<T>().Slice(t.Offset, t.Size);

    internal static Span<byte> Bytes(Tensor t)
    {
        int size = t.DType.SizeInBytes();
        return ((CpuStorage)t.Storage).Bytes().Slice(t.Offset * size, t.Size * size);
    }

    public void Fill(Tensor y, double value)
    {
        switch (y.DType)
        {
            case DType.Float32: Span<float>(y).Fill((float)value); break;
            case DType.Float64: Span<double>(y).Fill(value); break;
            case DType.Int32: Span<int>(y).Fill(checked((int)value)); break;
            case DType.Int64: Span<long>(y).Fill(checked((long)value)); break;
            case DType.UInt8: Span<byte>(y).Fill(checked((byte)value)); break;
            case DType.Bool: Span<bool>(y).Fill(value != 0); break;
        }
    }

    public void Expand(Tensor x, Tensor y)
    {
        int size = x.DType.SizeInBytes();
        var plan = BroadcastPlan.Create(y.Shape, x.Shape);
        var src = Bytes(x);
        var dst = Bytes(y);
        Span<int> off = stackalloc int[2];
        int inner = plan.Inner * size;
        for (int run = 0; run < plan.Runs; run++)
        {
            plan.Offsets(run, off);
            var row = dst.Slice(off[0] * size, inner);
            if (!plan.InnerRepeated[1])
            {
                src.Slice(off[1] * size, inner).CopyTo(row);
                continue;
            }
            var element = src.Slice(off[1] * size, size);
            for (int i = 0; i < inner; i += size) element.CopyTo(row.Slice(i));
        }
    }

    public void CopyFromHost(ReadOnlySpan<byte> source, Tensor y) => source.CopyTo(Bytes(y));

    public void CopyToHost(Tensor x, Span<byte> destination) => Bytes(x).CopyTo(destination);

    public void Gather(Tensor x, Tensor indices, Tensor y)
    {
        int rowBytes = x.Size / Math.Max(1, x.Shape[0]) * x.DType.SizeInBytes();
        var src = Bytes(x);
        var dst = Bytes(y);
        int n = indices.Size;
        for (int i = 0; i < n; i++)
        {
            long index = IndexAt(indices, i);
            src.Slice((int)index * rowBytes, rowBytes).CopyTo(dst.Slice(i * rowBytes, rowBytes));
        }
    }

    public void ScatterAdd(Tensor g, Tensor indices, Tensor y)
    {
        int row = y.Size / Math.Max(1, y.Shape[0]);
        switch (y.DType)
        {
            case DType.Float32: ScatterAdd(Span<float>(g), indices, Span<float>(y), row); break;
            case DType.Float64: ScatterAdd(Span<double>(g), indices, Span<double>(y), row); break;
            default: Throw.DTypeNotSupported("ScatterAdd", y.DType); break;
        }
    }

    private static void ScatterAdd<T>(Span<T> g, Tensor indices, Span<T> y, int row)
        where T : unmanaged, System.Numerics.INumber<T>
    {
        y.Clear();
        for (int i = 0; i < indices.Size; i++)
        {
            var target = y.Slice((int)IndexAt(indices, i) * row, row);
            System.Numerics.Tensors.TensorPrimitives.Add(target, g.Slice(i * row, row), target);
        }
    }

    internal static long IndexAt(Tensor indices, int i) =>
        indices.DType == DType.Int64 ? Span<long>(indices)[i] : Span<int>(indices)[i];

    public void Slice(Tensor x, int axis, int start, Tensor y) => CopyBlocks(x, y, axis, start, toLarger: false);

    public void SliceAssign(Tensor x, int axis, int start, Tensor y) => CopyBlocks(x, y, axis, start, toLarger: true);

    /// <summary>Copies between a tensor and a block of a larger one along <paramref name="axis"/>.</summary>
    private static void CopyBlocks(Tensor x, Tensor y, int axis, int start, bool toLarger)
    {
        var (small, large) = toLarger ? (x, y) : (y, x);
        int size = x.DType.SizeInBytes();
        int inner = 1;
        for (int i = axis + 1; i < large.Rank; i++) inner *= large.Shape[i];
        int outer = large.Size / Math.Max(1, large.Shape[axis] * inner);
        int smallBlock = small.Shape[axis] * inner * size, largeBlock = large.Shape[axis] * inner * size;
        var s = Bytes(small);
        var l = Bytes(large);
        for (int o = 0; o < outer; o++)
        {
            var part = l.Slice(o * largeBlock + start * inner * size, smallBlock);
            var block = s.Slice(o * smallBlock, smallBlock);
            if (toLarger) block.CopyTo(part);
            else part.CopyTo(block);
        }
    }
}
