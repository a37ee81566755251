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

    // Counted on the predictions' device: reading the counts every batch would synchronise with it.
    private readonly DeviceSum _truePositives = new(DType.Int64), _predictedPositives = new(DType.Int64), _actualPositives = new(DType.Int64);

    /// <summary>Predicted positive and actually positive.</summary>
    protected long TruePositives => (long)_truePositives.Value;

    /// <summary>Predicted positive but actually negative.</summary>
    protected long FalsePositives => (long)_predictedPositives.Value - TruePositives;

    /// <summary>Predicted negative but actually positive.</summary>
    protected long FalseNegatives => (long)_actualPositives.Value - TruePositives;

    /// <inheritdoc/>
    public override void Update(Tensor targets, Tensor predictions)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(predictions);
        if (targets.Size != predictions.Size)
            throw new ArgumentException($"{Name}: targets of shape {targets.Shape} do not match predictions of shape {predictions.Shape}.", nameof(targets));
        using var _ = Autograd.NoGrad();
        var predicted = predictions.Greater(Threshold).Cast(DType.Int64).Reshape(-1);
        var actual = targets.Cast(predictions.DType).Greater(0.5).Cast(DType.Int64).Reshape(-1);
        _truePositives.Add((predicted * actual).Sum());
        _predictedPositives.Add(predicted.Sum());
        _actualPositives.Add(actual.Sum());
    }

    /// <inheritdoc/>
    public override double[] GetState() => [TruePositives, FalsePositives, FalseNegatives];

    /// <inheritdoc/>
    public override void SetState(IReadOnlyList<double> state)
    {
        CheckStateLength(state, 3);
        _truePositives.Set(state[0]);
        _predictedPositives.Set(state[0] + state[1]);
        _actualPositives.Set(state[0] + state[2]);
    }

    /// <inheritdoc/>
    public override void Reset()
    {
        _truePositives.Set(0);
        _predictedPositives.Set(0);
        _actualPositives.Set(0);
    }
}
