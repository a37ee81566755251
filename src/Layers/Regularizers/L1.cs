namespace Framework.Layers;

/// <summary>Penalizes the absolute values of a weight: <c>l1 · Σ|w|</c> (Keras <c>l1</c>).</summary>
/// <param name="l1">The factor; non-negative and finite (Keras's default 0.01).</param>
/// <exception cref="ArgumentOutOfRangeException">The factor is negative, infinite or NaN.</exception>
public sealed class L1(double l1 = 0.01) : L1L2(l1: l1)
{
    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => InitializerConfig.Of("L1", new() { ["l1"] = L1Factor });
}
