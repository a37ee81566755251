namespace Framework.Optimizers;

/// <summary>A learning rate that decays exponentially with the step: <c>initial · rate^(step / decaySteps)</c>.</summary>
/// <remarks>
/// Keras's <c>ExponentialDecay</c>: <c>p = step / decaySteps</c>, floored when <see cref="Staircase"/> is true
/// (the rate then changes every <see cref="DecaySteps"/> steps), and the rate is <c>initial · decayRate^p</c>.
/// </remarks>
public sealed class ExponentialDecay : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initialLearningRate">The rate at step 0; positive.</param>
    /// <param name="decaySteps">Steps per factor of <paramref name="decayRate"/>; positive.</param>
    /// <param name="decayRate">The factor applied every <paramref name="decaySteps"/> steps; positive.</param>
    /// <param name="staircase">Whether to decay in discrete jumps rather than continuously.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate, bool staircase = false)
    {
        InitialLearningRate = Validate.Positive(nameof(ExponentialDecay), initialLearningRate);
        if (decaySteps <= 0) Validate.OutOfRange(nameof(ExponentialDecay), nameof(decaySteps), decaySteps, "positive");
        DecaySteps = decaySteps;
        DecayRate = Validate.Positive(nameof(ExponentialDecay), decayRate);
        Staircase = staircase;
    }

    /// <summary>The rate at step 0.</summary>
    public double InitialLearningRate { get; }

    /// <summary>Steps per factor of <see cref="DecayRate"/>.</summary>
    public long DecaySteps { get; }

    /// <summary>The factor applied every <see cref="DecaySteps"/> steps.</summary>
    public double DecayRate { get; }

    /// <summary>Whether the rate decays in discrete jumps.</summary>
    public bool Staircase { get; }

    /// <inheritdoc/>
    public override double At(long step)
    {
        double p = (double)step / DecaySteps;
        return InitialLearningRate * Math.Pow(DecayRate, Staircase ? Math.Floor(p) : p);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => Wrap(nameof(ExponentialDecay), new()
    {
        ["initial_learning_rate"] = InitialLearningRate,
        ["decay_steps"] = DecaySteps,
        ["decay_rate"] = DecayRate,
        ["staircase"] = Staircase,
        ["name"] = nameof(ExponentialDecay),
    });
}
