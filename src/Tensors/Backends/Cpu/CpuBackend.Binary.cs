using System.Numerics;
using System.Numerics.Tensors;

namespace Framework.Tensors.Backends.Cpu;

internal sealed partial class CpuBackend
{
    public void Binary(BinaryOp op, Tensor a, Tensor b, Tensor y)
    {
        if (op.IsComparison())
        {
            switch (a.DType)
            {
                case DType.Float32: Compare<float>(op, a, b, y); break;
                case DType.Float64: Compare<double>(op, a, b, y); break;
                case DType.Int32: Compare<int>(op, a, b, y); break;
                case DType.Int64: Compare<long>(op, a, b, y); break;
                case DType.UInt8: Compare<byte>(op, a, b, y); break;
                case DType.Bool: CompareBool(op, a, b, y); break;
            }
            return;
        }
        switch (a.DType)
        {
            case DType.Float32: Runs<float>(op, a, b, y, FloatRow); break;
            case DType.Float64: Runs<double>(op, a, b, y, FloatRow); break;
            case DType.Int32 when IsIntegerOp(op): Runs<int>(op, a, b, y, IntegerRow); break;
            case DType.Int64 when IsIntegerOp(op): Runs<long>(op, a, b, y, IntegerRow); break;
            default: Throw.DTypeNotSupported(op.ToString(), a.DType); break;
        }
    }

    private static bool IsIntegerOp(BinaryOp op) =>
        op is BinaryOp.Add or BinaryOp.Sub or BinaryOp.Mul or BinaryOp.Maximum or BinaryOp.Minimum;

    private delegate void RowKernel<T>(BinaryOp op, ReadOnlySpan<T> a, bool aRepeated, ReadOnlySpan<T> b, bool bRepeated, Span<T> y);

    /// <summary>Applies <paramref name="row"/> to each run of the broadcast walk.</summary>
    private static void Runs<T>(BinaryOp op, Tensor a, Tensor b, Tensor y, RowKernel<T> row) where T : unmanaged
    {
        var sa = Span<T>(a);
        var sb = Span<T>(b);
        var sy = Span<T>(y);
        if (a.Shape == b.Shape)
        {
            row(op, sa, false, sb, false, sy);
            return;
        }
        var plan = BroadcastPlan.Create(y.Shape, a.Shape, b.Shape);
        bool ar = plan.InnerRepeated[1], br = plan.InnerRepeated[2];
        int n = plan.Inner;
        Span<int> off = stackalloc int[3];
        for (int run = 0; run < plan.Runs; run++)
        {
            plan.Offsets(run, off);
            row(op, sa.Slice(off[1], ar ? 1 : n), ar, sb.Slice(off[2], br ? 1 : n), br, sy.Slice(off[0], n));
        }
    }

    private static void FloatRow<T>(BinaryOp op, ReadOnlySpan<T> a, bool ar, ReadOnlySpan<T> b, bool br, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!TryParallelBinary(op, a, ar, b, br, y)) FloatRowSerial(op, a, ar, b, br, y);
    }

    private static void FloatRowSerial<T>(BinaryOp op, ReadOnlySpan<T> a, bool ar, ReadOnlySpan<T> b, bool br, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (ar && br)
        {
            y.Fill(Scalar(op, a[0], b[0]));
            return;
        }
        switch (op)
        {
            case BinaryOp.Add when ar: TensorPrimitives.Add(b, a[0], y); return;
            case BinaryOp.Add when br: TensorPrimitives.Add(a, b[0], y); return;
            case BinaryOp.Add: TensorPrimitives.Add(a, b, y); return;
            case BinaryOp.Sub when ar: TensorPrimitives.Subtract(a[0], b, y); return;
            case BinaryOp.Sub when br: TensorPrimitives.Subtract(a, b[0], y); return;
            case BinaryOp.Sub: TensorPrimitives.Subtract(a, b, y); return;
            case BinaryOp.Mul when ar: TensorPrimitives.Multiply(b, a[0], y); return;
            case BinaryOp.Mul when br: TensorPrimitives.Multiply(a, b[0], y); return;
            case BinaryOp.Mul: TensorPrimitives.Multiply(a, b, y); return;
            case BinaryOp.Div when ar: TensorPrimitives.Divide(a[0], b, y); return;
            case BinaryOp.Div when br: TensorPrimitives.Divide(a, b[0], y); return;
            case BinaryOp.Div: TensorPrimitives.Divide(a, b, y); return;
            case BinaryOp.Pow when ar: TensorPrimitives.Pow(a[0], b, y); return;
            case BinaryOp.Pow when br: TensorPrimitives.Pow(a, b[0], y); return;
            case BinaryOp.Pow: TensorPrimitives.Pow(a, b, y); return;
            case BinaryOp.Maximum when ar: TensorPrimitives.Max(b, a[0], y); return;
            case BinaryOp.Maximum when br: TensorPrimitives.Max(a, b[0], y); return;
            case BinaryOp.Maximum: TensorPrimitives.Max(a, b, y); return;
            case BinaryOp.Minimum when ar: TensorPrimitives.Min(b, a[0], y); return;
            case BinaryOp.Minimum when br: TensorPrimitives.Min(a, b[0], y); return;
            case BinaryOp.Minimum: TensorPrimitives.Min(a, b, y); return;
            case BinaryOp.ReluGrad when !ar && !br: ReluGrad(a, b, y); return;
        }
        for (int i = 0; i < y.Length; i++) y[i] = Scalar(op, a[ar ? 0 : i], b[br ? 0 : i]);
    }

    private static T Scalar<T>(BinaryOp op, T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => op switch
    {
        BinaryOp.Add => a + b,
        BinaryOp.Sub => a - b,
        BinaryOp.Mul => a * b,
        BinaryOp.Div => a / b,
        BinaryOp.Pow => T.Pow(a, b),
        BinaryOp.Maximum => T.IsNaN(a) || T.IsNaN(b) ? T.NaN : T.Max(a, b),
        BinaryOp.Minimum => T.IsNaN(a) || T.IsNaN(b) ? T.NaN : T.Min(a, b),
        BinaryOp.ReluGrad => b > T.Zero ? a : T.Zero,
        BinaryOp.SigmoidGrad => a * b * (T.One - b),
        BinaryOp.TanhGrad => a * (T.One - b * b),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    /// <summary>y = b &gt; 0 ? a : 0, vectorised: the backward pass of every ReLU layer goes through here.</summary>
    private static void ReluGrad<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var gv = System.Runtime.InteropServices.MemoryMarshal.Cast<T, Vector<T>>(g);
            var xv = System.Runtime.InteropServices.MemoryMarshal.Cast<T, Vector<T>>(x);
            var yv = System.Runtime.InteropServices.MemoryMarshal.Cast<T, Vector<T>>(y);
            for (int v = 0; v < yv.Length; v++)
                yv[v] = Vector.ConditionalSelect(Vector.GreaterThan(xv[v], Vector<T>.Zero), gv[v], Vector<T>.Zero);
            i = yv.Length * Vector<T>.Count;
        }
        for (; i < y.Length; i++) y[i] = x[i] > T.Zero ? g[i] : T.Zero;
    }

    private static void IntegerRow<T>(BinaryOp op, ReadOnlySpan<T> a, bool ar, ReadOnlySpan<T> b, bool br, Span<T> y)
        where T : unmanaged, IBinaryInteger<T>
    {
        for (int i = 0; i < y.Length; i++)
        {
            T x = a[ar ? 0 : i], z = b[br ? 0 : i];
            y[i] = op switch
            {
                BinaryOp.Add => x + z,
                BinaryOp.Sub => x - z,
                BinaryOp.Mul => x * z,
                BinaryOp.Maximum => T.Max(x, z),
                _ => T.Min(x, z),
            };
        }
    }

    private static void Compare<T>(BinaryOp op, Tensor a, Tensor b, Tensor y) where T : unmanaged, INumber<T>
    {
        var sa = Span<T>(a);
        var sb = Span<T>(b);
        var sy = Span<bool>(y);
        var plan = BroadcastPlan.Create(y.Shape, a.Shape, b.Shape);
        bool ar = plan.InnerRepeated[1], br = plan.InnerRepeated[2];
        Span<int> off = stackalloc int[3];
        for (int run = 0; run < plan.Runs; run++)
        {
            plan.Offsets(run, off);
            for (int i = 0; i < plan.Inner; i++)
            {
                T x = sa[off[1] + (ar ? 0 : i)], z = sb[off[2] + (br ? 0 : i)];
                sy[off[0] + i] = op switch
                {
                    BinaryOp.Equal => x == z,
                    BinaryOp.NotEqual => x != z,
                    BinaryOp.Less => x < z,
                    BinaryOp.LessEqual => x <= z,
                    BinaryOp.Greater => x > z,
                    _ => x >= z,
                };
            }
        }
    }

    private void CompareBool(BinaryOp op, Tensor a, Tensor b, Tensor y)
    {
        if (op is not (BinaryOp.Equal or BinaryOp.NotEqual)) Throw.DTypeNotSupported(op.ToString(), DType.Bool);
        using var ab = Tensor.Empty(a.Shape, DType.UInt8, Device);
        using var bb = Tensor.Empty(b.Shape, DType.UInt8, Device);
        Cast(a, ab);
        Cast(b, bb);
        Compare<byte>(op, ab, bb, y);
    }

    public void Where(Tensor condition, Tensor a, Tensor b, Tensor y)
    {
        int size = a.DType.SizeInBytes();
        var plan = BroadcastPlan.Create(y.Shape, condition.Shape, a.Shape, b.Shape);
        var c = Span<bool>(condition);
        var sa = Bytes(a);
        var sb = Bytes(b);
        var sy = Bytes(y);
        bool cr = plan.InnerRepeated[1], ar = plan.InnerRepeated[2], br = plan.InnerRepeated[3];
        Span<int> off = stackalloc int[4];
        for (int run = 0; run < plan.Runs; run++)
        {
            plan.Offsets(run, off);
            for (int i = 0; i < plan.Inner; i++)
            {
                var source = c[off[1] + (cr ? 0 : i)]
                    ? sa.Slice((off[2] + (ar ? 0 : i)) * size, size)
                    : sb.Slice((off[3] + (br ? 0 : i)) * size, size);
                source.CopyTo(sy.Slice((off[0] + i) * size, size));
            }
        }
    }
}
