using Framework.Tensors;

namespace Framework.Layers;

/// <summary>Draws each element from a normal distribution cut at two standard deviations (Keras <c>truncated_normal</c>).</summary>
/// <remarks>Values further than 2·stddev from the mean are redrawn, so the sample's spread is about 0.88·stddev.</remarks>
/// <param name="mean">The mean.</param>
/// <param name="stddev">The standard deviation before truncation; must be positive.</param>
/// <param name="seed">A seed for reproducible values, or null to draw from <see cref="RandomGenerator.Global"/>.</param>
/// <exception cref="ArgumentOutOfRangeException"><paramref name="stddev"/> is not positive.</exception>
public sealed class TruncatedNormal(double mean = 0, double stddev = 0.05, long? seed = null) : NormalInitializer(mean, stddev, seed)
{
    /// <inheritdoc/>
    protected override void Fill(Span<float> values, Shape shape, RandomGenerator generator) =>
        generator.FillTruncatedNormal(values, (float)Mean, (float)Stddev);
}
