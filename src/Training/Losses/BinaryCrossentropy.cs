using Framework.Tensors;

namespace Framework.Training;

/// <summary>Binary cross-entropy: <c>mean(−t·log p − (1 − t)·log(1 − p))</c>, averaged over the last axis and the batch.</summary>
/// <remarks>
/// From logits it uses the stable form <c>max(x, 0) − x·t + log(1 + e^−|x|)</c>, which never takes the log of 0;
/// from probabilities it clips p to <c>[1e−7, 1 − 1e−7]</c> as Keras does.
/// </remarks>
/// <param name="fromLogits">Whether predictions are logits (true) or probabilities (false, Keras's default).</param>
public sealed class BinaryCrossentropy(bool fromLogits = false) : Loss("binary_crossentropy")
{
    /// <summary>Whether predictions are logits.</summary>
    public bool FromLogits { get; } = fromLogits;

    /// <inheritdoc/>
    public override Tensor Compute(Tensor targets, Tensor predictions)
    {
        RequireSameShape(targets, predictions);
        var t = AsFloat(targets, predictions);
        Tensor perElement;
        if (FromLogits)
        {
            var x = predictions;
            perElement = x.Relu() - x * t + (1 + (-x.Abs()).Exp()).Log();
        }
        else
        {
            var p = predictions.Clip(CrossEntropy.Epsilon, 1 - CrossEntropy.Epsilon);
            perElement = -(t * p.Log() + (1 - t) * (1 - p).Log());
        }
        return perElement.Mean(-1).Mean();
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new(base.GetConfig()) { ["from_logits"] = FromLogits };
}
