using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Framework.Tensors.Kernels;

namespace Framework.Tensors.Backends.Cpu;

internal sealed partial class CpuBackend
{
    public void Softmax(Tensor x, int axis, bool log, Tensor y)
    {
        var s = AroundAxis(x.Shape, axis);
        switch (x.DType)
        {
            case DType.Float32: Softmax(Span<float>(x), s, log, Span<float>(y)); break;
            case DType.Float64: Softmax(Span<double>(x), s, log, Span<double>(y)); break;
            default: Throw.DTypeNotSupported(log ? "LogSoftmax" : "Softmax", x.DType); break;
        }
    }

    private static void SoftmaxRowsSerial<T>(ReadOnlySpan<T> x, int rows, int length, bool log, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            // float: a streaming exp fused with the sum (TensorPrimitives.Exp(float) computes in double).
            FloatSoftmax.Rows(MemoryMarshal.Cast<T, float>(x), rows, length, log, MemoryMarshal.Cast<T, float>(y));
            return;
        }
        for (int o = 0; o < rows; o++)
        {
            var row = x.Slice(o * length, length);
            var output = y.Slice(o * length, length);
            T max = TensorPrimitives.Max(row);
            TensorPrimitives.Subtract(row, max, output);
            TensorPrimitives.Exp(output, output);
            T sum = TensorPrimitives.Sum(output);
            if (log) TensorPrimitives.Subtract(row, max + T.Log(sum), output);
            else TensorPrimitives.Divide(output, sum, output);
        }
    }

    /// <remarks>
    /// Subtracts the maximum before exponentiating, so large logits cannot overflow; log-softmax is computed as
    /// <c>x − max − log Σ exp(x − max)</c> rather than as the log of a softmax, which would underflow to −∞.
    /// </remarks>
    private static void Softmax<T>(ReadOnlySpan<T> x, (int Outer, int Length, int Inner) s, bool log, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (s.Length == 0) return;
        if (s.Inner == 1)
        {
            if (!TryParallelSoftmaxRows(x, s.Outer, s.Length, log, y)) SoftmaxRowsSerial(x, s.Outer, s.Length, log, y);
            return;
        }
        for (int o = 0; o < s.Outer; o++)
        {
            int baseIndex = o * s.Length * s.Inner;
            for (int i = 0; i < s.Inner; i++)
            {
                T max = T.NegativeInfinity;
                for (int j = 0; j < s.Length; j++) max = T.Max(max, x[baseIndex + j * s.Inner + i]);
                T sum = T.Zero;
                for (int j = 0; j < s.Length; j++) sum += T.Exp(x[baseIndex + j * s.Inner + i] - max);
                T logSum = T.Log(sum);
                for (int j = 0; j < s.Length; j++)
                {
                    int k = baseIndex + j * s.Inner + i;
                    y[k] = log ? x[k] - max - logSum : T.Exp(x[k] - max) / sum;
                }
            }
        }
    }
}
