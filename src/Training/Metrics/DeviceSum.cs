using Framework.Tensors;

namespace Framework.Training;

/// <summary>A metric's running sum, kept on the device that computes the summands and read back only when asked.</summary>
/// <remarks>
/// <para>
/// Reading a value from libtorch is a native call and a copy, and from a GPU a synchronisation that stalls the queue of
/// kernels; a metric that read its batch value every step would pay that on every step. The sum therefore stays a
/// scalar on the summands' device, and <see cref="Value"/> reads it once per request (and caches it until the next add).
/// </para>
/// <para>
/// The additions are the host's, in the same order: each add is one rounding of <c>sum + summand</c> in the sum's dtype
/// (float64 for sums of reals, int64 for counts), so the result is bit-identical to summing the read values on the host.
/// Until the first tensor summand the sum is a host double; when the summands move to another device the sum follows.
/// </para>
/// </remarks>
internal sealed class DeviceSum(DType dtype)
{
    private Variable? _sum;
    private double _host;
    private double? _read;

    /// <summary>Adds <paramref name="summand"/> (a scalar tensor) on its device.</summary>
    public void Add(Tensor summand)
    {
        using var noGrad = Autograd.NoGrad();
        if (_sum is null || _sum.Device != summand.Device)
            _sum = new Variable(Tensor.Scalar(Value, dtype, summand.Device), "metric_sum", trainable: false);
        var cast = summand.DType == dtype ? summand : summand.Cast(dtype);
        _sum.AssignAdd(cast);
        _read = null;
    }

    /// <summary>Adds a host value.</summary>
    public void Add(double summand)
    {
        if (_sum is null) _host += summand;
        else
        {
            using var noGrad = Autograd.NoGrad();
            _sum.AssignAdd(Tensor.Scalar(summand, dtype, _sum.Device));
        }
        _read = null;
    }

    /// <summary>The sum (read from the device at most once between adds).</summary>
    public double Value => _read ??= _sum is null ? _host
        : dtype == DType.Int64 ? _sum.Value.Item<long>() : _sum.Value.Item<double>();

    /// <summary>Replaces the sum with <paramref name="value"/> (a reset, or a state restored for a resumed epoch).</summary>
    public void Set(double value)
    {
        if (_sum is not null)
        {
            using var noGrad = Autograd.NoGrad();
            _sum.Assign(Tensor.Scalar(value, dtype, _sum.Device));   // a write, no read: the variable is reused
        }
        (_host, _read) = (value, value);
    }
}
