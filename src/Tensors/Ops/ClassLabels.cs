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
        var host = labels.DType.IsFloatingPoint()
            ? (labels.DType == DType.Float64 ? labels : labels.Cast(DType.Float64))
            : (labels.DType == DType.Int64 ? labels : labels.Cast(DType.Int64));
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

    private static ArgumentOutOfRangeException OutOfRange(string caller, string label, int position, int classes) =>
        new("labels", $"{caller}: label {label} at position {position} is outside [0, {classes}): the predictions have {classes} classes, " +
            $"so labels must be class indices 0 to {classes - 1}.");
}
