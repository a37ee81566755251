namespace Framework.Optimizers;

/// <summary>A learning rate that is constant between step boundaries.</summary>
/// <remarks>
/// Keras's <c>PiecewiseConstantDecay</c>: with boundaries b₀ &lt; b₁ &lt; … and values v₀, v₁, …, the rate is v₀ while
/// step ≤ b₀, v₁ while b₀ &lt; step ≤ b₁, and so on, and the last value once step &gt; the last boundary.
/// </remarks>
public sealed class PiecewiseConstantDecay : LearningRateSchedule
{
    private readonly long[] _boundaries;
    private readonly double[] _values;

    /// <summary>Creates the schedule.</summary>
    /// <param name="boundaries">Strictly increasing steps at which the rate changes.</param>
    /// <param name="values">The rates: one more than there are boundaries, each positive.</param>
    /// <exception cref="ArgumentException">The counts do not fit or the boundaries do not increase.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value is not positive.</exception>
    public PiecewiseConstantDecay(IReadOnlyList<long> boundaries, IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(boundaries);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != boundaries.Count + 1)
            throw new ArgumentException($"PiecewiseConstantDecay: values must have one more element than boundaries; received {boundaries.Count} boundaries and {values.Count} values.", nameof(values));
        for (int i = 1; i < boundaries.Count; i++)
        {
            if (boundaries[i] <= boundaries[i - 1])
                throw new ArgumentException($"PiecewiseConstantDecay: boundaries must increase strictly; received {boundaries[i - 1]} then {boundaries[i]} at index {i}.", nameof(boundaries));
        }
        foreach (double value in values) Validate.Positive(nameof(PiecewiseConstantDecay), value, nameof(values));
        _boundaries = [.. boundaries];
        _values = [.. values];
    }

    /// <summary>The steps at which the rate changes.</summary>
    public IReadOnlyList<long> Boundaries => _boundaries;

    /// <summary>The rate of each interval.</summary>
    public IReadOnlyList<double> Values => _values;

    /// <inheritdoc/>
    public override double At(long step)
    {
        int i = 0;
        while (i < _boundaries.Length && step > _boundaries[i]) i++;
        return _values[i];
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => Wrap(nameof(PiecewiseConstantDecay), new()
    {
        ["boundaries"] = _boundaries.ToArray(),
        ["values"] = _values.ToArray(),
        ["name"] = nameof(PiecewiseConstantDecay),
    });
}
