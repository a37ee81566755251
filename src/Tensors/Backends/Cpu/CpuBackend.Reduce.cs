using System.Numerics;
using System.Numerics.Tensors;
using Framework.Tensors.Kernels;

namespace Framework.Tensors.Backends.Cpu;

internal sealed partial class CpuBackend
{
    /// <summary>Splits a shape around <paramref name="axis"/> into (outer, axis length, inner) element counts.</summary>
    internal static (int Outer, int Length, int Inner) AroundAxis(Shape shape, int axis)
    {
        int inner = 1;
        for (int i = axis + 1; i < shape.Rank; i++) inner *= shape[i];
        int length = shape[axis];
        int outer = length * inner == 0 ? 0 : shape.Size / (length * inner);
        if (length * inner == 0)
        {
            outer = 1;
            for (int i = 0; i < axis; i++) outer *= shape[i];
        }
        return (outer, length, inner);
    }

    public void Reduce(ReduceOp op, Tensor x, int axis, Tensor y)
    {
        switch (x.DType)
        {
            case DType.Float32: Reduce(op, Span<float>(x), AroundAxis(x.Shape, axis), Span<float>(y)); break;
            case DType.Float64: Reduce(op, Span<double>(x), AroundAxis(x.Shape, axis), Span<double>(y)); break;
            case DType.Int32: Reduce(op, Span<int>(x), AroundAxis(x.Shape, axis), Span<int>(y)); break;
            case DType.Int64: Reduce(op, Span<long>(x), AroundAxis(x.Shape, axis), Span<long>(y)); break;
            default: Throw.DTypeNotSupported(op.ToString(), x.DType); break;
        }
    }

    /// <remarks>
    /// Each output element is reduced in one fixed order (vectorised along the axis when it is innermost,
    /// row by row otherwise), so results never depend on thread count or call history: large reductions are split
    /// between output elements, except a large column sum with too few columns to split, which is summed in fixed
    /// blocks of rows (the blocks depend on the shape only; see <see cref="SumRowBlocks"/>), and one long row, which is
    /// reduced in fixed blocks of its elements (<see cref="ReduceLongRow"/>).
    /// </remarks>
    private static void Reduce<T>(ReduceOp op, ReadOnlySpan<T> x, (int Outer, int Length, int Inner) s, Span<T> y)
        where T : unmanaged, INumber<T>, IMinMaxValue<T>
    {
        if (op == ReduceOp.Sum && UsesRowBlocks(s, x.Length)) SumRowBlocks(x, s, y);
        else if (UsesLongRowBlocks(s)) ReduceLongRow(op, x, y);
        else if (!TryParallelReduce(op, x, s, y)) ReduceBlock(op, x, s, y, 0, s.Outer, 0, s.Inner);
    }

    /// <summary>Reduces the outer indices [<paramref name="outerStart"/>, <paramref name="outerEnd"/>) and, of each,
    /// the inner indices [<paramref name="innerStart"/>, <paramref name="innerEnd"/>).</summary>
    private static void ReduceBlock<T>(ReduceOp op, ReadOnlySpan<T> x, (int Outer, int Length, int Inner) s, Span<T> y,
        int outerStart, int outerEnd, int innerStart, int innerEnd)
        where T : unmanaged, INumber<T>, IMinMaxValue<T>
    {
        for (int o = outerStart; o < outerEnd; o++)
        {
            var block = x.Slice(o * s.Length * s.Inner, s.Length * s.Inner);
            if (s.Inner == 1)
            {
                y[o] = ReduceRow(op, block);
                continue;
            }
            var row = y.Slice(o * s.Inner + innerStart, innerEnd - innerStart);
            if (s.Length == 0)
            {
                row.Fill(T.Zero);
                continue;
            }
            if (op == ReduceOp.Sum)
            {
                ColumnSum.Sum(block[innerStart..], s.Length, s.Inner, row);
                continue;
            }
            block.Slice(innerStart, row.Length).CopyTo(row);
            for (int j = 1; j < s.Length; j++)
            {
                var next = block.Slice(j * s.Inner + innerStart, row.Length);
                if (op == ReduceOp.Max) TensorPrimitives.Max(row, next, row);
                else TensorPrimitives.Min(row, next, row);
            }
        }
    }

    /// <summary>The reduction of one contiguous row, by <c>TensorPrimitives</c>.</summary>
    private static T ReduceRow<T>(ReduceOp op, ReadOnlySpan<T> x) where T : unmanaged, INumber<T>, IMinMaxValue<T> => op switch
    {
        ReduceOp.Sum => TensorPrimitives.Sum(x),
        ReduceOp.Max => TensorPrimitives.Max(x),
        _ => TensorPrimitives.Min(x),
    };

    public void ArgReduce(bool max, Tensor x, int axis, Tensor y)
    {
        var s = AroundAxis(x.Shape, axis);
        var result = Span<long>(y);
        switch (x.DType)
        {
            case DType.Float32: ArgReduce(max, Span<float>(x), s, result); break;
            case DType.Float64: ArgReduce(max, Span<double>(x), s, result); break;
            case DType.Int32: ArgReduce(max, Span<int>(x), s, result); break;
            case DType.Int64: ArgReduce(max, Span<long>(x), s, result); break;
            case DType.UInt8: ArgReduce(max, Span<byte>(x), s, result); break;
            default: Throw.DTypeNotSupported("ArgMax", x.DType); break;
        }
    }

    private static void ArgReduce<T>(bool max, ReadOnlySpan<T> x, (int Outer, int Length, int Inner) s, Span<long> y)
        where T : unmanaged, INumber<T>
    {
        for (int o = 0; o < s.Outer; o++)
        {
            var block = x.Slice(o * s.Length * s.Inner, s.Length * s.Inner);
            if (s.Inner == 1)
            {
                y[o] = max ? TensorPrimitives.IndexOfMax(block) : TensorPrimitives.IndexOfMin(block);
                continue;
            }
            for (int i = 0; i < s.Inner; i++)
            {
                int best = 0;
                T bestValue = block[i];
                for (int j = 1; j < s.Length; j++)
                {
                    T v = block[j * s.Inner + i];
                    if (max ? v > bestValue : v < bestValue)
                    {
                        best = j;
                        bestValue = v;
                    }
                }
                y[o * s.Inner + i] = best;
            }
        }
    }
}
