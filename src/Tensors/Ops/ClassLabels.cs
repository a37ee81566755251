using System.Numerics.Tensors;
using Framework.Tensors.Storage;

namespace Framework.Tensors;

/// <summary>The one check of integer class labels that every sparse loss and metric makes: each label in <c>[0, classes)</c>.</summary>
/// <remarks>
/// A label outside the range would silently select nothing (a zero one-hot row: loss 0, never correct), so training would
/// go on without learning. The check is one vectorized minimum and maximum over the labels per batch; only when they fall
/// outside the range is the first offending label searched for, to name it. Backends that compute the losses themselves
/// call this same helper before they do.
/// </remarks>
public static class ClassLabels
{
    /// <summary>Throws unless every value of <paramref name="labels"/> is an index in <c>[0, classes)</c>.</summary>
    /// <param name="labels">The labels: int32, int64 or a floating-point dtype holding whole numbers.</param>
    /// <param name="classes">The number of classes (the predictions' last dimension).</param>
    /// <param name="caller">Who checks, for the message (<c>sparse_categorical_crossentropy</c>).</param>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside the range (or not a number); the message names the
    /// label, its position in the flattened labels and the class count.</exception>
    public static void Check(Tensor labels, int classes, string caller)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Size == 0) return;
        if (s_vouched is { } vouched && ReferenceEquals(vouched.Storage, labels.Storage) && vouched.Min >= 0 && vouched.Max < classes) return;
        var host = ToHost(labels);
        if (host.DType == DType.Float64)
        {
            ReadOnlySpan<double> values = HostElements.Of<double>(host);
            // NaN makes Min return NaN, which fails the range test and is then found and named like any other bad label.
            double min = TensorPrimitives.Min(values), max = TensorPrimitives.Max(values);
            if (min >= 0 && max < classes) return;
            for (int i = 0; i < values.Length; i++)
            {
                if (!(values[i] >= 0 && values[i] < classes)) throw OutOfRange(caller, values[i].ToString(System.Globalization.CultureInfo.InvariantCulture), i, classes);
            }
            return;
        }
        ReadOnlySpan<long> ints = HostElements.Of<long>(host);
        if (TensorPrimitives.Min(ints) >= 0 && TensorPrimitives.Max(ints) < classes) return;
        for (int i = 0; i < ints.Length; i++)
        {
            if ((ulong)ints[i] >= (ulong)classes) throw OutOfRange(caller, ints[i].ToString(System.Globalization.CultureInfo.InvariantCulture), i, classes);
        }
    }

    /// <summary>The smallest and largest of <paramref name="dataset"/>'s labels, read from the device once.</summary>
    internal static LabelRange RangeOf(Tensor dataset)
    {
        if (dataset.Size == 0) return new LabelRange(0, -1);
        var host = ToHost(dataset);
        if (host.DType == DType.Float64)
        {
            ReadOnlySpan<double> values = HostElements.Of<double>(host);
            return new LabelRange(TensorPrimitives.Min(values), TensorPrimitives.Max(values));
        }
        ReadOnlySpan<long> ints = HostElements.Of<long>(host);
        return new LabelRange(TensorPrimitives.Min(ints), TensorPrimitives.Max(ints));
    }

    /// <summary>
    /// Until disposed, <see cref="Check"/> on this thread accepts labels that share <paramref name="batch"/>'s storage
    /// (its batches: slices of it, or a gathered copy while it is vouched for) without reading them, when <paramref name="range"/> (the whole
    /// dataset's, from <see cref="RangeOf"/>) fits the classes. Otherwise the full check runs and names the offending label.
    /// </summary>
    /// <remarks>
    /// Fit and Evaluate check the whole label array once instead of every batch: on libtorch the per-batch check is a cast,
    /// a device read and a host pass every step. Labels are never written during a step, so their range cannot change.
    /// </remarks>
    internal static Vouch VouchFor(Tensor batch, LabelRange range)
    {
        var previous = s_vouched;
        s_vouched = new Vouched(batch.Storage, range.Min, range.Max);
        return new Vouch(previous);
    }

    [ThreadStatic] private static Vouched? s_vouched;

    internal sealed record Vouched(Framework.Tensors.Storage.TensorStorage Storage, double Min, double Max);

    /// <summary>The smallest and largest label of a dataset (NaN when a float label is NaN, so nothing is trusted).</summary>
    internal readonly record struct LabelRange(double Min, double Max);

    /// <summary>Ends a <see cref="VouchFor"/>, restoring the one before it.</summary>
    internal readonly struct Vouch : IDisposable
    {
        private readonly Vouched? _previous;
        private readonly bool _active;   // default(Vouch) vouches for nothing and must not end an outer vouch

        internal Vouch(Vouched? previous) => (_previous, _active) = (previous, true);

        /// <inheritdoc/>
        public void Dispose()
        {
            if (_active) s_vouched = _previous;
        }
    }

    private static Tensor ToHost(Tensor labels)
    {
        var host = labels.DType.IsFloatingPoint()
            ? (labels.DType == DType.Float64 ? labels : labels.Cast(DType.Float64))
            : (labels.DType == DType.Int64 ? labels : labels.Cast(DType.Int64));
        if (host.Device != Device.Cpu) host = host.To(Device.Cpu);
        return host;
    }

    private static ArgumentOutOfRangeException OutOfRange(string caller, string label, int position, int classes) =>
        new("labels", $"{caller}: label {label} at position {position} is outside [0, {classes}): the predictions have {classes} classes, " +
            $"so labels must be class indices 0 to {classes - 1}.");
}
