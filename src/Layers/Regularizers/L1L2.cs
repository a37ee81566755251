using Framework.Tensors;

namespace Framework.Layers;

/// <summary>Penalizes both the absolute values and the squares of a weight (Keras <c>l1_l2</c>).</summary>
/// <remarks>The penalty is <c>l1 · Σ|w| + l2 · Σ w²</c>; a zero factor drops its term.</remarks>
public class L1L2 : Regularizer
{
    /// <summary>Creates the regularizer; Keras's defaults are 0 for both factors.</summary>
    /// <param name="l1">The factor of the absolute values; non-negative and finite.</param>
    /// <param name="l2">The factor of the squares; non-negative and finite.</param>
    /// <exception cref="ArgumentOutOfRangeException">A factor is negative, infinite or NaN.</exception>
    public L1L2(double l1 = 0, double l2 = 0)
    {
        L1Factor = Validate(l1, nameof(l1));
        L2Factor = Validate(l2, nameof(l2));
    }

    /// <summary>The factor of the absolute values.</summary>
    public double L1Factor { get; }

    /// <summary>The factor of the squares.</summary>
    public double L2Factor { get; }

    /// <inheritdoc/>
    public override Tensor Penalty(Tensor weight)
    {
        ArgumentNullException.ThrowIfNull(weight);
        Tensor? penalty = L1Factor > 0 ? weight.Abs().Sum() * L1Factor : null;
        if (L2Factor > 0)
        {
            var l2 = weight.Square().Sum() * L2Factor;
            penalty = penalty is null ? l2 : penalty + l2;
        }
        return penalty ?? Tensor.Zeros(Shape.Scalar, weight.DType, weight.Device);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() =>
        InitializerConfig.Of("L1L2", new() { ["l1"] = L1Factor, ["l2"] = L2Factor });

    private double Validate(double factor, string name) => double.IsFinite(factor) && factor >= 0 ? factor
        : throw new ArgumentOutOfRangeException(name, factor, $"{GetType().Name}: {name} must be a non-negative finite number; received {name}={factor}.");
}
