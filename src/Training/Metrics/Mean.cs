using Framework.Tensors;

namespace Framework.Training;

/// <summary>The weighted running mean of values, such as the loss over the batches of an epoch.</summary>
/// <param name="name">The name in logs.</param>
public sealed class Mean(string name = "mean") : Metric(name)
{
    private double _total;
    private double _count;

    /// <summary>Adds <paramref name="value"/> with weight <paramref name="weight"/> (Keras weights the loss by batch size).</summary>
    public void Add(double value, double weight = 1)
    {
        _total += value * weight;
        _count += weight;
    }

    /// <summary>Adds the mean of <paramref name="predictions"/>, weighted by its element count; targets are ignored.</summary>
    public override void Update(Tensor targets, Tensor predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        Add(predictions.Cast(DType.Float64).Mean().Item<double>(), predictions.Size);
    }

    /// <inheritdoc/>
    public override double Result() => _count == 0 ? 0 : _total / _count;

    /// <inheritdoc/>
    public override double[] GetState() => [_total, _count];

    /// <inheritdoc/>
    public override void SetState(IReadOnlyList<double> state)
    {
        CheckStateLength(state, 2);
        (_total, _count) = (state[0], state[1]);
    }

    /// <inheritdoc/>
    public override void Reset() => (_total, _count) = (0, 0);
}
