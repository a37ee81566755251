namespace Framework.Layers;

/// <summary>Draws from a truncated normal with standard deviation √(2/(fan_in+fan_out)) (Keras <c>glorot_normal</c>).</summary>
/// <remarks>A <see cref="VarianceScaling"/> with scale 1.0, mode <c>fan_avg</c> and distribution <c>truncated_normal</c>.</remarks>
/// <param name="seed">A seed for reproducible values, or null to draw from <see cref="Framework.Tensors.RandomGenerator.Global"/>.</param>
public sealed class GlorotNormal(long? seed = null) : VarianceScaling(1.0, "fan_avg", "truncated_normal", seed)
{
    /// <summary>The Keras configuration: only the seed.</summary>
    public override Dictionary<string, object?> GetConfig() => ConfigWith([]);
}
