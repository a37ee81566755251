using Framework.Tensors;

namespace Framework.Training;

/// <summary>The fraction of correct predictions, in the form Keras's <c>"accuracy"</c> resolves to.</summary>
/// <remarks>
/// <see cref="AccuracyKind.Sparse"/> compares the arg-max of the scores with integer labels;
/// <see cref="AccuracyKind.Categorical"/> compares arg-maxes of one-hot targets and scores;
/// <see cref="AccuracyKind.Binary"/> thresholds predictions at <see cref="Threshold"/>. With
/// <see cref="AccuracyKind.Auto"/> the kind is chosen from the first batch's shapes: one label per row → sparse,
/// targets shaped like multi-class predictions → categorical, a single output unit → binary.
/// </remarks>
/// <param name="kind">Which comparison to make.</param>
/// <param name="name">The name in logs.</param>
/// <param name="threshold">The decision threshold for binary accuracy.</param>
public sealed class Accuracy(AccuracyKind kind = AccuracyKind.Auto, string name = "accuracy", double threshold = 0.5) : Metric(name)
{
    private readonly DeviceSum _correct = new(DType.Int64);   // on the device: reading it every batch would synchronise
    private long _count;

    /// <summary>The comparison in use (resolved from <see cref="AccuracyKind.Auto"/> on the first update).</summary>
    public AccuracyKind Kind { get; private set; } = kind;

    /// <summary>The binary decision threshold.</summary>
    public double Threshold { get; } = threshold;

    /// <inheritdoc/>
    public override void Update(Tensor targets, Tensor predictions)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(predictions);
        using var _ = Autograd.NoGrad();
        if (Kind == AccuracyKind.Auto) Kind = Resolve(targets.Shape, predictions.Shape);
        Tensor hits = Kind switch
        {
            AccuracyKind.Sparse => predictions.ArgMax().Equal(Labels(targets, predictions)),
            AccuracyKind.Categorical => predictions.ArgMax().Equal(OneHotTargets(targets, predictions).ArgMax()),
            _ => predictions.Greater(Threshold).Equal(targets.Cast(predictions.DType).Greater(Threshold)),
        };
        _correct.Add(hits.Cast(DType.Int64).Sum());
        _count += hits.Size;
    }

    /// <inheritdoc/>
    public override double Result() => _count == 0 ? 0 : _correct.Value / _count;

    /// <inheritdoc/>
    /// <remarks>The counts, and the resolved kind (as its enum value), so a resumed epoch compares as it did.</remarks>
    public override double[] GetState() => [_correct.Value, _count, (double)Kind];

    /// <inheritdoc/>
    public override void SetState(IReadOnlyList<double> state)
    {
        CheckStateLength(state, 3);
        _correct.Set((long)state[0]);
        (_count, Kind) = ((long)state[1], (AccuracyKind)(int)state[2]);
    }

    /// <inheritdoc/>
    public override void Reset()
    {
        _correct.Set(0);
        _count = 0;
    }

    private static AccuracyKind Resolve(Shape targets, Shape predictions)
    {
        if (predictions[-1] == 1) return AccuracyKind.Binary;
        if (targets.Rank == predictions.Rank && targets[-1] == predictions[-1]) return AccuracyKind.Categorical;
        return AccuracyKind.Sparse;
    }

    private Tensor OneHotTargets(Tensor targets, Tensor predictions) =>
        targets.Shape == predictions.Shape ? targets
        : throw new ArgumentException($"{Name}: targets of shape {targets.Shape} do not match predictions of shape {predictions.Shape}; a categorical accuracy takes one-hot targets. For integer class indices use sparse_categorical_accuracy.", nameof(targets));

    private Tensor Labels(Tensor targets, Tensor predictions)
    {
        if (targets.Shape == predictions.Shape && predictions.Shape[-1] > 1)
            throw new ArgumentException($"{Name}: targets of shape {targets.Shape} look one-hot (shaped like the predictions) but this is a sparse accuracy, which takes one class index per row. For one-hot targets use categorical_accuracy.", nameof(targets));
        var labels = targets.Rank == predictions.Rank ? targets.Squeeze(-1) : targets;
        if (labels.Shape != new Shape(predictions.Shape.Dims[..^1]))
            throw new ArgumentException($"{Name}: labels of shape {targets.Shape} do not fit predictions of shape {predictions.Shape}; expected one class index per row.", nameof(targets));
        // An out-of-range label can never equal an arg-max: the accuracy would quietly count it wrong instead of saying why.
        ClassLabels.Check(labels, predictions.Shape[-1], Name);
        return labels.DType == DType.Int64 ? labels : labels.Cast(DType.Int64);
    }
}
