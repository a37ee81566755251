using Framework.Tensors;

namespace Framework.Layers;

/// <summary>Draws each element from a normal distribution (Keras <c>random_normal</c>).</summary>
/// <param name="mean">The mean.</param>
/// <param name="stddev">The standard deviation; must be positive.</param>
/// <param name="seed">A seed for reproducible values, or null to draw from <see cref="RandomGenerator.Global"/>.</param>
/// <exception cref="ArgumentOutOfRangeException"><paramref name="stddev"/> is not positive.</exception>
public sealed class RandomNormal(double mean = 0, double stddev = 0.05, long? seed = null) : NormalInitializer(mean, stddev, seed)
{
    /// <inheritdoc/>
    protected override void Fill(Span<float> values, Shape shape, RandomGenerator generator) =>
        generator.FillNormal(values, (float)Mean, (float)Stddev);
}
