using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Framework.Tensors.Kernels;

namespace Framework.Tensors.Backends.Cpu;

internal sealed partial class CpuBackend
{
    public void Unary(UnaryOp op, Tensor x, Tensor y)
    {
        switch (x.DType)
        {
            case DType.Float32: Unary(op, Span<float>(x), Span<float>(y)); break;
            case DType.Float64: Unary(op, Span<double>(x), Span<double>(y)); break;
            case DType.Int32 when op is UnaryOp.Neg or UnaryOp.Abs or UnaryOp.Square or UnaryOp.Sign:
                IntegerUnary(op, Span<int>(x), Span<int>(y)); break;
            case DType.Int64 when op is UnaryOp.Neg or UnaryOp.Abs or UnaryOp.Square or UnaryOp.Sign:
                IntegerUnary(op, Span<long>(x), Span<long>(y)); break;
            default: Throw.DTypeNotSupported(op.ToString(), x.DType); break;
        }
    }

    private static void Unary<T>(UnaryOp op, ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!TryParallelUnary(op, x, y)) UnarySerial(op, x, y);
    }

    private static void UnarySerial<T>(UnaryOp op, ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (op)
        {
            case UnaryOp.Neg: TensorPrimitives.Negate(x, y); break;
            case UnaryOp.Abs: TensorPrimitives.Abs(x, y); break;
            // TensorPrimitives.Exp(float) widens to double and is compute-bound; FloatExp streams (≤ 1 ulp).
            case UnaryOp.Exp when typeof(T) == typeof(float):
                FloatExp.Exp(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y)); break;
            case UnaryOp.Exp: TensorPrimitives.Exp(x, y); break;
            case UnaryOp.Log: TensorPrimitives.Log(x, y); break;
            case UnaryOp.Sqrt: TensorPrimitives.Sqrt(x, y); break;
            case UnaryOp.Square: TensorPrimitives.Multiply(x, x, y); break;
            case UnaryOp.Relu: TensorPrimitives.Max(x, T.Zero, y); break;
            case UnaryOp.Sigmoid: TensorPrimitives.Sigmoid(x, y); break;
            case UnaryOp.Tanh: TensorPrimitives.Tanh(x, y); break;
            case UnaryOp.Reciprocal: TensorPrimitives.Reciprocal(x, y); break;
            case UnaryOp.Sign:
                for (int i = 0; i < x.Length; i++) y[i] = T.IsNaN(x[i]) ? x[i] : T.CreateTruncating(T.Sign(x[i]));
                break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, null);
        }
    }

    private static void IntegerUnary<T>(UnaryOp op, ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IBinaryInteger<T>, ISignedNumber<T>
    {
        switch (op)
        {
            case UnaryOp.Neg: TensorPrimitives.Negate(x, y); break;
            case UnaryOp.Abs: TensorPrimitives.Abs(x, y); break;
            case UnaryOp.Square: TensorPrimitives.Multiply(x, x, y); break;
            default:
                for (int i = 0; i < x.Length; i++) y[i] = T.CreateTruncating(T.Sign(x[i]));
                break;
        }
    }

    public void Cast(Tensor x, Tensor y)
    {
        switch (x.DType)
        {
            case DType.Float32: CastFrom(Span<float>(x), y); break;
            case DType.Float64: CastFrom(Span<double>(x), y); break;
            case DType.Int32: CastFrom(Span<int>(x), y); break;
            case DType.Int64: CastFrom(Span<long>(x), y); break;
            case DType.UInt8: CastFrom(Span<byte>(x), y); break;
            case DType.Bool:
                var b = Span<bool>(x);
                var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(b);
                CastFrom((ReadOnlySpan<byte>)bytes, y);
                break;
        }
    }

    /// <summary>Converts like a C cast: floats truncate toward zero into integers; anything non-zero is true.</summary>
    private static void CastFrom<TFrom>(ReadOnlySpan<TFrom> x, Tensor y) where TFrom : unmanaged, INumber<TFrom>
    {
        switch (y.DType)
        {
            case DType.Float32: TensorPrimitives.ConvertTruncating(x, Span<float>(y)); break;
            case DType.Float64: TensorPrimitives.ConvertTruncating(x, Span<double>(y)); break;
            case DType.Int32: TensorPrimitives.ConvertSaturating(x, Span<int>(y)); break;
            case DType.Int64: TensorPrimitives.ConvertSaturating(x, Span<long>(y)); break;
            case DType.UInt8: TensorPrimitives.ConvertSaturating(x, Span<byte>(y)); break;
            case DType.Bool:
                var dst = Span<bool>(y);
                for (int i = 0; i < x.Length; i++) dst[i] = x[i] != TFrom.Zero;
                break;
        }
    }
}
