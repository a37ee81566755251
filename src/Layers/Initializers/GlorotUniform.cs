namespace Framework.Layers;

/// <summary>Draws from U(−√(6/(fan_in+fan_out)), √(6/(fan_in+fan_out))), the default kernel initializer of Dense (Keras <c>glorot_uniform</c>).</summary>
/// <remarks>A <see cref="VarianceScaling"/> with scale 1.0, mode <c>fan_avg</c> and distribution <c>uniform</c>.</remarks>
/// <param name="seed">A seed for reproducible values, or null to draw from <see cref="Framework.Tensors.RandomGenerator.Global"/>.</param>
public sealed class GlorotUniform(long? seed = null) : VarianceScaling(1.0, "fan_avg", "uniform", seed)
{
    /// <summary>The Keras configuration: only the seed.</summary>
    public override Dictionary<string, object?> GetConfig() => ConfigWith([]);
}
