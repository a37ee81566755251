using Framework.Tensors;

namespace Framework.Training;

/// <summary>Mean absolute error: <c>mean(|t − p|)</c> over the last axis, then the batch.</summary>
public sealed class MeanAbsoluteError() : Loss("mean_absolute_error")
{
    /// <inheritdoc/>
    public override Tensor Compute(Tensor targets, Tensor predictions)
    {
        RequireSameShape(targets, predictions);
        return (AsFloat(targets, predictions) - predictions).Abs().Mean(-1).Mean();
    }
}
