using Framework.Tensors;

namespace Framework.Training;

/// <summary>Mean squared error: <c>mean((t − p)²)</c> over the last axis, then the batch.</summary>
public sealed class MeanSquaredError() : Loss("mean_squared_error")
{
    /// <inheritdoc/>
    public override Tensor Compute(Tensor targets, Tensor predictions)
    {
        RequireSameShape(targets, predictions);
        return (AsFloat(targets, predictions) - predictions).Square().Mean(-1).Mean();
    }
}
