using System.Numerics;
using System.Numerics.Tensors;

namespace Framework.Tensors.Backends.Cpu;

internal sealed partial class CpuBackend
{
    public void SparseSoftmaxCrossEntropy(Tensor logits, Tensor labels, Tensor loss, Tensor probabilities)
    {
        int classes = logits.Shape[-1];
        switch (logits.DType)
        {
            case DType.Float32: SparseSoftmaxCrossEntropy(Span<float>(logits), labels, classes, Span<float>(loss), Span<float>(probabilities)); break;
            case DType.Float64: SparseSoftmaxCrossEntropy(Span<double>(logits), labels, classes, Span<double>(loss), Span<double>(probabilities)); break;
            default: Throw.DTypeNotSupported("SparseSoftmaxCrossEntropy", logits.DType); break;
        }
    }

    /// <remarks>loss = log Σ exp(x − max) − (x[label] − max): the log-sum-exp form, which never overflows or takes log 0.</remarks>
    private static void SparseSoftmaxCrossEntropy<T>(ReadOnlySpan<T> logits, Tensor labels, int classes, Span<T> loss, Span<T> probabilities)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int row = 0; row < loss.Length; row++)
        {
            var x = logits.Slice(row * classes, classes);
            var p = probabilities.Slice(row * classes, classes);
            T max = TensorPrimitives.Max(x);
            TensorPrimitives.Subtract(x, max, p);
            TensorPrimitives.Exp(p, p);
            T sum = TensorPrimitives.Sum(p);
            loss[row] = T.Log(sum) - (x[(int)IndexAt(labels, row)] - max);
            TensorPrimitives.Divide(p, sum, p);
        }
    }

    public void SparseSoftmaxCrossEntropyGrad(Tensor probabilities, Tensor labels, Tensor gradLoss, Tensor gradLogits)
    {
        int classes = probabilities.Shape[-1];
        switch (probabilities.DType)
        {
            case DType.Float32: SparseSoftmaxCrossEntropyGrad(Span<float>(probabilities), labels, Span<float>(gradLoss), classes, Span<float>(gradLogits)); break;
            case DType.Float64: SparseSoftmaxCrossEntropyGrad(Span<double>(probabilities), labels, Span<double>(gradLoss), classes, Span<double>(gradLogits)); break;
            default: Throw.DTypeNotSupported("SparseSoftmaxCrossEntropy", probabilities.DType); break;
        }
    }

    /// <summary>d loss / d logits = g · (softmax − onehot(label)), one pass per row.</summary>
    private static void SparseSoftmaxCrossEntropyGrad<T>(ReadOnlySpan<T> probabilities, Tensor labels, ReadOnlySpan<T> gradLoss, int classes, Span<T> gradLogits)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int row = 0; row < gradLoss.Length; row++)
        {
            var g = gradLogits.Slice(row * classes, classes);
            TensorPrimitives.Multiply(probabilities.Slice(row * classes, classes), gradLoss[row], g);
            g[(int)IndexAt(labels, row)] -= gradLoss[row];
        }
    }
}
