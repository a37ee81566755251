using Framework.Tensors;

namespace Framework.Training;

/// <summary>Counts true/false positives of a binary classifier whose predictions are thresholded.</summary>
public abstract class ConfusionMetric : Metric
{
    /// <summary>Creates the metric with a decision threshold in [0, 1].</summary>
    /// <exception cref="ArgumentOutOfRangeException">The threshold is outside [0, 1].</exception>
    protected ConfusionMetric(string name, double threshold)
        : base(name)
    {
        if (threshold is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, $"{name}: threshold must be in [0, 1]; received threshold={threshold}.");
        Threshold = threshold;
    }

    /// <summary>Predictions above this count as positive.</summary>
    public double Threshold { get; }

    /// <summary>Predicted positive and actually positive.</summary>
    protected long TruePositives { get; private set; }

    /// <summary>Predicted positive but actually negative.</summary>
    protected long FalsePositives { get; private set; }

    /// <summary>Predicted negative but actually positive.</summary>
    protected long FalseNegatives { get; private set; }

    /// <inheritdoc/>
    public override void Update(Tensor targets, Tensor predictions)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(predictions);
        using var _ = Autograd.NoGrad();
        var predicted = predictions.Greater(Threshold).Cast(DType.Int64).ToArray<long>();
        var actual = targets.Cast(predictions.DType).Greater(0.5).Cast(DType.Int64).ToArray<long>();
        if (predicted.Length != actual.Length)
            throw new ArgumentException($"{Name}: targets of shape {targets.Shape} do not match predictions of shape {predictions.Shape}.", nameof(targets));
        for (int i = 0; i < predicted.Length; i++)
        {
            if (predicted[i] == 1 && actual[i] == 1) TruePositives++;
            else if (predicted[i] == 1) FalsePositives++;
            else if (actual[i] == 1) FalseNegatives++;
        }
    }

    /// <inheritdoc/>
    public override double[] GetState() => [TruePositives, FalsePositives, FalseNegatives];

    /// <inheritdoc/>
    public override void SetState(IReadOnlyList<double> state)
    {
        CheckStateLength(state, 3);
        (TruePositives, FalsePositives, FalseNegatives) = ((long)state[0], (long)state[1], (long)state[2]);
    }

    /// <inheritdoc/>
    public override void Reset() => (TruePositives, FalsePositives, FalseNegatives) = (0, 0, 0);
}
