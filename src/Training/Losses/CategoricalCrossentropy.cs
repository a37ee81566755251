using Framework.Tensors;

namespace Framework.Training;

/// <summary>Cross-entropy between one-hot (or soft) targets and predicted class scores: <c>mean(−Σ t · log p)</c>.</summary>
/// <param name="fromLogits">Whether predictions are logits (fused log-softmax) or probabilities (clipped).</param>
/// <param name="labelSmoothing">Mixes targets with the uniform distribution: <c>t·(1 − s) + s / classes</c>; in [0, 1].</param>
public sealed class CategoricalCrossentropy(bool fromLogits = false, double labelSmoothing = 0) : Loss("categorical_crossentropy")
{
    /// <summary>Whether predictions are logits.</summary>
    public bool FromLogits { get; } = fromLogits;

    /// <summary>The label smoothing factor.</summary>
    public double LabelSmoothing { get; } = labelSmoothing is >= 0 and <= 1
        ? labelSmoothing
        : throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, $"labelSmoothing must be in [0, 1]; received labelSmoothing={labelSmoothing}.");

    /// <inheritdoc/>
    public override Tensor Compute(Tensor targets, Tensor predictions)
    {
        if (targets.Shape != predictions.Shape && predictions.Rank >= 1 && predictions.Shape[-1] > 1
            && (targets.Shape == new Shape(predictions.Shape.Dims[..^1]) || targets.Shape == new Shape([.. predictions.Shape.Dims[..^1], 1])))
            throw new ArgumentException($"{Name}: targets of shape {targets.Shape} look like integer class indices (one per row) but predictions have shape {predictions.Shape}; this loss takes one-hot targets shaped like the predictions. For class indices use sparse_categorical_crossentropy (SparseCategoricalCrossentropy).", nameof(targets));
        RequireSameShape(targets, predictions);
        var t = AsFloat(targets, predictions);
        if (LabelSmoothing > 0) t = t * (1 - LabelSmoothing) + LabelSmoothing / predictions.Shape[-1];
        return -(t * CrossEntropy.LogProbabilities(predictions, FromLogits)).Sum(-1).Mean();
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() =>
        new(base.GetConfig()) { ["from_logits"] = FromLogits, ["label_smoothing"] = LabelSmoothing };
}
