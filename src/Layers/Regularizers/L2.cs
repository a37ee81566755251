namespace Framework.Layers;

/// <summary>Penalizes the squares of a weight: <c>l2 · Σ w²</c> (Keras <c>l2</c>; no factor ½).</summary>
/// <param name="l2">The factor; non-negative and finite (Keras's default 0.01).</param>
/// <exception cref="ArgumentOutOfRangeException">The factor is negative, infinite or NaN.</exception>
public sealed class L2(double l2 = 0.01) : L1L2(l2: l2)
{
    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => InitializerConfig.Of("L2", new() { ["l2"] = L2Factor });
}
