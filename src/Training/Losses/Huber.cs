using Framework.Tensors;

namespace Framework.Training;

/// <summary>Huber loss: quadratic <c>½e²</c> for |e| ≤ δ, linear <c>δ·|e| − ½δ²</c> beyond; averaged like MSE.</summary>
/// <param name="delta">The switch point δ; positive.</param>
public sealed class Huber(double delta = 1.0) : Loss("huber_loss")
{
    /// <summary>The switch point between quadratic and linear.</summary>
    public double Delta { get; } = delta > 0 ? delta : throw new ArgumentOutOfRangeException(nameof(delta), delta, $"Huber: delta must be positive; received delta={delta}.");

    /// <inheritdoc/>
    public override Tensor Compute(Tensor targets, Tensor predictions)
    {
        RequireSameShape(targets, predictions);
        var error = (AsFloat(targets, predictions) - predictions).Abs();
        var quadratic = error.Clip(0, Delta);
        var linear = error - quadratic;
        return (quadratic.Square() * 0.5 + linear * Delta).Mean(-1).Mean();
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new(base.GetConfig()) { ["delta"] = Delta };
}
