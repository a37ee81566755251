using Framework.Tensors;

namespace Framework.Layers;

/// <summary>The base of the initializers parameterized by a mean and a standard deviation.</summary>
public abstract class NormalInitializer : RandomInitializer
{
    /// <summary>Validates and stores the parameters.</summary>
    /// <param name="mean">The mean.</param>
    /// <param name="stddev">The standard deviation; must be positive.</param>
    /// <param name="seed">A seed for reproducible values, or null to draw from <see cref="RandomGenerator.Global"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stddev"/> is not positive.</exception>
    protected NormalInitializer(double mean, double stddev, long? seed)
        : base(seed)
    {
        if (!(stddev > 0))
            throw new ArgumentOutOfRangeException(nameof(stddev), stddev, $"{GetType().Name}: stddev must be positive; received stddev={stddev}.");
        Mean = mean;
        Stddev = stddev;
    }

    /// <summary>The mean.</summary>
    public double Mean { get; }

    /// <summary>The standard deviation (before truncation, for <see cref="TruncatedNormal"/>).</summary>
    public double Stddev { get; }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => ConfigWith(new() { ["mean"] = Mean, ["stddev"] = Stddev });
}
