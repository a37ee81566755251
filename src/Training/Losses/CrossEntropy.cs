using Framework.Tensors;

namespace Framework.Training;

/// <summary>Shared numerics of the cross-entropy losses.</summary>
internal static class CrossEntropy
{
    /// <summary>Keras's epsilon for clipping probabilities before the log (<c>backend.epsilon()</c>).</summary>
    public const double Epsilon = 1e-7;

    /// <summary>log p from logits (stable, fused log-softmax) or from probabilities (normalised, clipped like Keras).</summary>
    public static Tensor LogProbabilities(Tensor predictions, bool fromLogits)
    {
        if (fromLogits) return predictions.LogSoftmax();
        // Keras rescales so each row sums to 1, then clips to [ε, 1 − ε] so log never sees 0.
        var p = predictions / predictions.Sum(-1, keepDims: true);
        return p.Clip(Epsilon, 1 - Epsilon).Log();
    }

    /// <summary>A float mask of shape (…, classes) with 1 at each sample's label.</summary>
    public static Tensor OneHot(Tensor labels, int classes, DType dtype)
    {
        var classIds = Tensor.Arange(0, classes, 1, labels.DType == DType.Int32 ? DType.Int32 : DType.Int64);
        var l = labels.DType is DType.Int32 or DType.Int64 ? labels : labels.Cast(DType.Int64);
        if (l.DType != classIds.DType) l = l.Cast(classIds.DType);
        return l.ExpandDims(-1).Equal(classIds).Cast(dtype);
    }
}
