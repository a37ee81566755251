using Framework.Tensors;

namespace Framework.Layers;

/// <summary>Draws each element uniformly from <c>[minval, maxval)</c> (Keras <c>random_uniform</c>).</summary>
/// <param name="minval">The lower bound (inclusive).</param>
/// <param name="maxval">The upper bound (exclusive); must not be below <paramref name="minval"/>.</param>
/// <param name="seed">A seed for reproducible values, or null to draw from <see cref="RandomGenerator.Global"/>.</param>
public sealed class RandomUniform(double minval = -0.05, double maxval = 0.05, long? seed = null) : RandomInitializer(seed)
{
    /// <summary>The lower bound (inclusive).</summary>
    public double Minval { get; } = minval;

    /// <summary>The upper bound (exclusive).</summary>
    public double Maxval { get; } = maxval >= minval ? maxval
        : throw new ArgumentOutOfRangeException(nameof(maxval), maxval, $"RandomUniform: maxval must be at least minval={minval}; received maxval={maxval}.");

    /// <inheritdoc/>
    protected override void Fill(Span<float> values, Shape shape, RandomGenerator generator) =>
        generator.FillUniform(values, (float)Minval, (float)Maxval);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => ConfigWith(new() { ["minval"] = Minval, ["maxval"] = Maxval });
}
