using static Framework.Tensors.Autograd;

namespace Framework.Tensors;

public sealed partial class Tensor
{
    /// <summary>Per-sample cross-entropy between integer <paramref name="labels"/> and the softmax of <paramref name="logits"/>.</summary>
    /// <remarks>
    /// Computes <c>loss[i] = log Σⱼ exp(logits[i, j]) − logits[i, labels[i]]</c> in one fused, numerically stable pass
    /// (TensorFlow's <c>sparse_softmax_cross_entropy_with_logits</c>); its gradient is <c>softmax − onehot</c>, also one pass.
    /// </remarks>
    /// <param name="labels">Class indices, int32 or int64, shape (…); each in <c>[0, classes)</c>.</param>
    /// <param name="logits">Unnormalised scores, shape (…, classes).</param>
    /// <returns>The losses, with the labels' shape.</returns>
    /// <exception cref="ArgumentException">Shapes or dtypes do not fit; the message names both shapes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside <c>[0, classes)</c>; the message names it and its position.</exception>
    public static Tensor SparseSoftmaxCrossEntropyWithLogits(Tensor labels, Tensor logits)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(logits);
        if (labels.DType is not (DType.Int32 or DType.Int64))
            Throw.Argument($"SparseSoftmaxCrossEntropyWithLogits: labels must be int32 or int64; received {labels.DType.Name()}.", nameof(labels));
        if (!logits.DType.IsFloatingPoint()) Throw.DTypeNotSupported(nameof(SparseSoftmaxCrossEntropyWithLogits), logits.DType);
        if (logits.Rank == 0 || labels.Shape != new Shape(logits.Shape.Dims[..^1]))
            Throw.Argument($"SparseSoftmaxCrossEntropyWithLogits: labels of shape {labels.Shape} do not fit logits of shape {logits.Shape}; expected labels of shape {Shape.Format(logits.Shape.Dims[..^1])}.", nameof(labels));
        Throw.IfDifferentDevices(nameof(SparseSoftmaxCrossEntropyWithLogits), labels, logits);
        int classes = logits.Shape[-1];
        ClassLabels.Check(labels, classes, nameof(SparseSoftmaxCrossEntropyWithLogits));
        var loss = Empty(labels.Shape, logits.DType, logits.Device);
        var probabilities = Empty(logits.Shape, logits.DType, logits.Device);
        logits.Backend.SparseSoftmaxCrossEntropy(logits, labels, loss, probabilities);
        if (!Needs(logits)) return loss;
        return Record(loss, nameof(SparseSoftmaxCrossEntropyWithLogits), [logits], g =>
        {
            var grad = Empty(logits.Shape, logits.DType, logits.Device);
            logits.Backend.SparseSoftmaxCrossEntropyGrad(probabilities, labels, g, grad);
            return [grad];
        });
    }
}
