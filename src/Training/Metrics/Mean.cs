using Framework.Tensors;

namespace Framework.Training;

/// <summary>The weighted running mean of values, such as the loss over the batches of an epoch.</summary>
/// <param name="name">The name in logs.</param>
public sealed class Mean(string name = "mean") : Metric(name)
{
    private readonly DeviceSum _total = new(DType.Float64);
    private double _count;

    /// <summary>Adds <paramref name="value"/> with weight <paramref name="weight"/> (Keras weights the loss by batch size).</summary>
    public void Add(double value, double weight = 1)
    {
        _total.Add(value * weight);
        _count += weight;
    }

    /// <summary>Adds the scalar <paramref name="value"/> with weight <paramref name="weight"/> on its device, without reading it.</summary>
    /// <remarks>The same float64 arithmetic as <see cref="Add(double, double)"/>, so the mean is bit-identical.</remarks>
    public void Add(Tensor value, double weight = 1)
    {
        ArgumentNullException.ThrowIfNull(value);
        using var noGrad = Autograd.NoGrad();
        var value64 = value.DType == DType.Float64 ? value : value.Cast(DType.Float64);
        _total.Add(value64 * Tensor.Scalar(weight, DType.Float64, value.Device));
        _count += weight;
    }

    /// <summary>Adds the mean of <paramref name="predictions"/>, weighted by its element count; targets are ignored.</summary>
    public override void Update(Tensor targets, Tensor predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        using var noGrad = Autograd.NoGrad();
        Add(predictions.Cast(DType.Float64).Mean(), predictions.Size);
    }

    /// <inheritdoc/>
    public override double Result() => _count == 0 ? 0 : _total.Value / _count;

    /// <inheritdoc/>
    public override double[] GetState() => [_total.Value, _count];

    /// <inheritdoc/>
    public override void SetState(IReadOnlyList<double> state)
    {
        CheckStateLength(state, 2);
        _total.Set(state[0]);
        _count = state[1];
    }

    /// <inheritdoc/>
    public override void Reset()
    {
        _total.Set(0);
        _count = 0;
    }
}
