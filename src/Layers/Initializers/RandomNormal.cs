using Framework.Tensors;

namespace Framework.Layers;

/// <summary>Draws each element from a normal distribution (Keras <c>random_normal</c>).</summary>
/// <param name="mean">The mean.</param>
/// <param name="stddev">The standard deviation; must be positive.</param>
/// <param name="seed">A seed for reproducible values, or null to draw from <see cref="RandomGenerator.Global"/>.</param>
public sealed class RandomNormal(double mean = 0, double stddev = 0.05, long? seed = null) : RandomInitializer(seed)
{
    /// <summary>The mean.</summary>
    public double Mean { get; } = mean;

    /// <summary>The standard deviation.</summary>
    public double Stddev { get; } = stddev > 0 ? stddev
        : throw new ArgumentOutOfRangeException(nameof(stddev), stddev, $"RandomNormal: stddev must be positive; received stddev={stddev}.");

    /// <inheritdoc/>
    protected override void Fill(Span<float> values, Shape shape, RandomGenerator generator) =>
        generator.FillNormal(values, (float)Mean, (float)Stddev);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => ConfigWith(new() { ["mean"] = Mean, ["stddev"] = Stddev });
}
