using Framework.Tensors;

namespace Framework.Layers;

/// <summary>Keras's <c>LeakyReLU</c>: <c>x</c> where <c>x ≥ 0</c>, <c>negative_slope · x</c> elsewhere.</summary>
/// <remarks>Built from <c>Relu</c> and elementwise arithmetic, <c>relu(x) − slope · relu(−x)</c>, so autograd differentiates it
/// through those ops. No weights.</remarks>
/// <example><code>var model = new Sequential([new Dense(64), new LeakyReLU(0.2), new Dense(1)], inputShape: [2]);</code></example>
public sealed class LeakyReLU : Layer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="negativeSlope">The slope for negative inputs (Keras 3's default 0.3); finite and non-negative.</param>
    /// <param name="name">The layer's name (default <c>leaky_re_lu</c>, <c>leaky_re_lu_1</c>…).</param>
    /// <exception cref="ArgumentOutOfRangeException">The slope is negative or not finite.</exception>
    public LeakyReLU(double negativeSlope = 0.3, string? name = null)
        : base(name)
    {
        if (!(double.IsFinite(negativeSlope) && negativeSlope >= 0))
            throw new ArgumentOutOfRangeException(nameof(negativeSlope), negativeSlope, $"LeakyReLU '{Name}': negative_slope must be finite and >= 0; received {negativeSlope}.");
        NegativeSlope = negativeSlope;
    }

    /// <summary>The slope for negative inputs.</summary>
    public double NegativeSlope { get; }

    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training) => input.Relu() - (-input).Relu() * NegativeSlope;

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["negative_slope"] = NegativeSlope;
        return config;
    }

    /// <summary>Re-creates the layer from <see cref="GetConfig"/>'s dictionary, or from Keras 2's (<c>alpha</c>).</summary>
    public static LeakyReLU FromConfig(IReadOnlyDictionary<string, object?> config) =>
        new(ConfigReader.GetDouble(config, ConfigReader.Has(config, "negative_slope") ? "negative_slope" : "alpha", 0.3), ConfigReader.GetString(config, "name"))
        { Trainable = ConfigReader.GetBool(config, "trainable", true) };
}
