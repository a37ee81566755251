namespace Framework.Layers;

/// <summary>Draws from U(−√(6/fan_in), √(6/fan_in)), suited to ReLU layers (Keras <c>he_uniform</c>).</summary>
/// <remarks>A <see cref="VarianceScaling"/> with scale 2.0, mode <c>fan_in</c> and distribution <c>uniform</c>.</remarks>
/// <param name="seed">A seed for reproducible values, or null to draw from <see cref="Framework.Tensors.RandomGenerator.Global"/>.</param>
public sealed class HeUniform(long? seed = null) : VarianceScaling(2.0, "fan_in", "uniform", seed)
{
    /// <summary>The Keras configuration: only the seed.</summary>
    public override Dictionary<string, object?> GetConfig() => ConfigWith([]);
}
