using Framework.Tensors;

namespace Framework.Training;

/// <summary>Cross-entropy between integer class labels and predicted class scores.</summary>
/// <remarks>
/// Computes <c>mean over the batch of −log p[label]</c>. With <see cref="FromLogits"/>, p is the softmax of the
/// predictions, computed by the fused <see cref="Tensor.SparseSoftmaxCrossEntropyWithLogits"/> (stable, one pass
/// forward and one backward); otherwise the predictions are
/// probabilities, normalised and clipped to <c>[1e−7, 1 − 1e−7]</c> as Keras does.
/// </remarks>
/// <param name="fromLogits">Whether predictions are unnormalised logits (true) or probabilities (false, Keras's default).</param>
public sealed class SparseCategoricalCrossentropy(bool fromLogits = false) : Loss("sparse_categorical_crossentropy")
{
    /// <summary>Whether predictions are logits.</summary>
    public bool FromLogits { get; } = fromLogits;

    /// <inheritdoc/>
    public override Tensor Compute(Tensor targets, Tensor predictions)
    {
        var labels = targets.Rank == predictions.Rank && targets.Shape[-1] == 1 ? targets.Squeeze(-1) : targets;
        if (targets.Shape == predictions.Shape && predictions.Shape[-1] > 1)
            throw new ArgumentException($"{Name}: targets of shape {targets.Shape} look one-hot (shaped like the predictions); this loss takes one integer class index per row, shape {new Shape(predictions.Shape.Dims[..^1])}. For one-hot targets use categorical_crossentropy (CategoricalCrossentropy).", nameof(targets));
        if (labels.Rank != predictions.Rank - 1 || labels.Shape != new Shape(predictions.Shape.Dims[..^1]))
            throw new ArgumentException($"{Name}: labels of shape {targets.Shape} do not fit predictions of shape {predictions.Shape}; expected one integer label per row, shape {new Shape(predictions.Shape.Dims[..^1])}.", nameof(targets));
        if (FromLogits)
        {
            // The fused op checks integer labels itself; float ones are checked before the cast could hide a NaN or a −0.5.
            if (labels.DType is not (DType.Int32 or DType.Int64)) ClassLabels.Check(labels, predictions.Shape[-1], Name);
            var indices = labels.DType is DType.Int32 or DType.Int64 ? labels : labels.Cast(DType.Int64);
            return Tensor.SparseSoftmaxCrossEntropyWithLogits(indices, predictions).Mean();
        }
        // An out-of-range label would make an all-zero one-hot row below: loss 0, nothing learnt, no error.
        ClassLabels.Check(labels, predictions.Shape[-1], Name);
        var logP = CrossEntropy.LogProbabilities(predictions, FromLogits);
        var picked = (logP * CrossEntropy.OneHot(labels, predictions.Shape[-1], predictions.DType)).Sum(-1);
        return -picked.Mean();
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new(base.GetConfig()) { ["from_logits"] = FromLogits };
}
