using Framework.Tensors;

namespace Framework.Layers;

/// <summary>Draws values whose variance is <c>scale / n</c>, with n a fan of the weight's shape (Keras <c>variance_scaling</c>).</summary>
/// <remarks>
/// <para>
/// n is <c>fan_in</c>, <c>fan_out</c> or their mean (<c>fan_avg</c>). For a matrix <c>(in, out)</c> the fans are
/// <c>in</c> and <c>out</c>; for higher ranks (convolution kernels <c>(..., in, out)</c>) both are multiplied by the
/// product of the leading dimensions (the receptive field); a vector has both fans equal to its length and a
/// scalar has both equal to 1, as in Keras.
/// </para>
/// <para>
/// <c>uniform</c> draws from <c>U(−√(3·scale/n), √(3·scale/n))</c>; <c>untruncated_normal</c> from
/// <c>N(0, scale/n)</c>; <c>truncated_normal</c> from a normal cut at two standard deviations whose pre-truncation
/// standard deviation is <c>√(scale/n) / 0.87962566103423978</c>, so that the truncated values keep variance
/// <c>scale/n</c> (the constant is the standard deviation of a unit normal truncated to [−2, 2]).
/// </para>
/// </remarks>
public class VarianceScaling : RandomInitializer
{
    private static readonly string[] s_modes = ["fan_in", "fan_out", "fan_avg"];
    private static readonly string[] s_distributions = ["truncated_normal", "untruncated_normal", "uniform"];

    /// <summary>Creates the initializer; the arguments are Keras's.</summary>
    /// <param name="scale">The variance multiplier; must be positive.</param>
    /// <param name="mode"><c>fan_in</c>, <c>fan_out</c> or <c>fan_avg</c>.</param>
    /// <param name="distribution"><c>truncated_normal</c>, <c>untruncated_normal</c> or <c>uniform</c>.</param>
    /// <param name="seed">A seed for reproducible values, or null to draw from <see cref="RandomGenerator.Global"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The scale is not positive.</exception>
    /// <exception cref="ArgumentException">The mode or distribution is not one of the names above.</exception>
    public VarianceScaling(double scale = 1.0, string mode = "fan_in", string distribution = "truncated_normal", long? seed = null)
        : base(seed)
    {
        if (!(scale > 0))
            throw new ArgumentOutOfRangeException(nameof(scale), scale, $"{GetType().Name}: scale must be positive; received scale={scale}.");
        if (!s_modes.Contains(mode))
            throw new ArgumentException($"{GetType().Name}: mode must be one of {string.Join(", ", s_modes)}; received '{mode}'.", nameof(mode));
        if (!s_distributions.Contains(distribution))
            throw new ArgumentException($"{GetType().Name}: distribution must be one of {string.Join(", ", s_distributions)}; received '{distribution}'.", nameof(distribution));
        Scale = scale;
        Mode = mode;
        Distribution = distribution;
    }

    /// <summary>The variance multiplier.</summary>
    public double Scale { get; }

    /// <summary>Which fan divides the scale: <c>fan_in</c>, <c>fan_out</c> or <c>fan_avg</c>.</summary>
    public string Mode { get; }

    /// <summary>The distribution: <c>truncated_normal</c>, <c>untruncated_normal</c> or <c>uniform</c>.</summary>
    public string Distribution { get; }

    /// <summary>The fans of a weight of <paramref name="shape"/>, computed as Keras does.</summary>
    public static (double FanIn, double FanOut) ComputeFans(Shape shape)
    {
        if (shape.Rank == 0) return (1, 1);
        if (shape.Rank == 1) return (shape[0], shape[0]);
        double receptive = 1;
        for (int i = 0; i < shape.Rank - 2; i++) receptive *= shape[i];
        return (shape[-2] * receptive, shape[-1] * receptive);
    }

    /// <inheritdoc/>
    protected sealed override void Fill(Span<float> values, Shape shape, RandomGenerator generator)
    {
        var (fanIn, fanOut) = ComputeFans(shape);
        double n = Mode switch { "fan_in" => fanIn, "fan_out" => fanOut, _ => (fanIn + fanOut) / 2 };
        double variance = Scale / Math.Max(1, n);
        switch (Distribution)
        {
            case "uniform":
                float limit = (float)Math.Sqrt(3 * variance);
                generator.FillUniform(values, -limit, limit);
                break;
            case "untruncated_normal":
                generator.FillNormal(values, 0f, (float)Math.Sqrt(variance));
                break;
            default:
                generator.FillTruncatedNormal(values, 0f, (float)(Math.Sqrt(variance) / 0.87962566103423978));
                break;
        }
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() =>
        ConfigWith(new() { ["scale"] = Scale, ["mode"] = Mode, ["distribution"] = Distribution });
}
