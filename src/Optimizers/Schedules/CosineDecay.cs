namespace Framework.Optimizers;

/// <summary>A learning rate that follows half a cosine from its start to a floor, after an optional linear warmup.</summary>
/// <remarks>
/// <para>Keras's <c>CosineDecay</c> (Loshchilov &amp; Hutter, SGDR, <see href="https://arxiv.org/abs/1608.03983"/>):</para>
/// <code>
/// decay(s, from) = from · ((1 − alpha) · 0.5 · (1 + cos(π · min(s, decaySteps) / decaySteps)) + alpha)
/// no warmup:      rate = decay(step, initial)
/// with warmup:    rate = initial + (warmupTarget − initial) · step / warmupSteps      while step &lt; warmupSteps
///                 rate = decay(step − warmupSteps, warmupTarget)                       afterwards
/// </code>
/// </remarks>
public sealed class CosineDecay : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initialLearningRate">The rate at step 0; non-negative (0 is common with a warmup).</param>
    /// <param name="decaySteps">Steps over which the cosine runs; positive.</param>
    /// <param name="alpha">The floor, as a fraction of the decayed-from rate, in [0, 1].</param>
    /// <param name="warmupTarget">The rate reached at the end of the warmup, or null for no warmup.</param>
    /// <param name="warmupSteps">Steps of linear warmup; non-negative.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public CosineDecay(double initialLearningRate, long decaySteps, double alpha = 0, double? warmupTarget = null, long warmupSteps = 0)
    {
        InitialLearningRate = Validate.NonNegative(nameof(CosineDecay), initialLearningRate);
        if (decaySteps <= 0) Validate.OutOfRange(nameof(CosineDecay), nameof(decaySteps), decaySteps, "positive");
        if (warmupSteps < 0) Validate.OutOfRange(nameof(CosineDecay), nameof(warmupSteps), warmupSteps, "non-negative");
        if (warmupTarget is { } target) Validate.Positive(nameof(CosineDecay), target, nameof(warmupTarget));
        DecaySteps = decaySteps;
        Alpha = Validate.Fraction(nameof(CosineDecay), alpha, includeOne: true);
        WarmupTarget = warmupTarget;
        WarmupSteps = warmupSteps;
    }

    /// <summary>The rate at step 0.</summary>
    public double InitialLearningRate { get; }

    /// <summary>Steps over which the cosine runs.</summary>
    public long DecaySteps { get; }

    /// <summary>The floor, as a fraction of the decayed-from rate.</summary>
    public double Alpha { get; }

    /// <summary>The rate at the end of the warmup, or null for no warmup.</summary>
    public double? WarmupTarget { get; }

    /// <summary>Steps of linear warmup.</summary>
    public long WarmupSteps { get; }

    /// <inheritdoc/>
    public override double At(long step)
    {
        if (WarmupTarget is not { } target) return Decay(Math.Min(step, DecaySteps), InitialLearningRate);
        step = Math.Min(step, DecaySteps + WarmupSteps);
        return step < WarmupSteps
            ? (target - InitialLearningRate) * ((double)step / WarmupSteps) + InitialLearningRate
            : Decay(step - WarmupSteps, target);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => Wrap(nameof(CosineDecay), new()
    {
        ["initial_learning_rate"] = InitialLearningRate,
        ["decay_steps"] = DecaySteps,
        ["alpha"] = Alpha,
        ["name"] = nameof(CosineDecay),
        ["warmup_target"] = WarmupTarget,
        ["warmup_steps"] = WarmupSteps,
    });

    private double Decay(long step, double from)
    {
        double cosine = 0.5 * (1 + Math.Cos(Math.PI * ((double)step / DecaySteps)));
        return from * ((1 - Alpha) * cosine + Alpha);
    }
}
