using Framework.Tensors;

namespace Framework.Optimizers;

/// <summary>Keras's gradient clipping: per-gradient norm, per-element value, and global norm.</summary>
internal static class GradientClipping
{
    public static IReadOnlyList<Tensor> Clip(IReadOnlyList<Tensor> gradients, double? clipNorm, double? clipValue, double? globalClipNorm)
    {
        IReadOnlyList<Tensor> result = gradients;
        if (clipNorm is { } norm) result = [.. result.Select(g => ClipByNorm(g, norm))];
        if (globalClipNorm is { } global) result = ClipByGlobalNorm(result, global);
        if (clipValue is { } value) result = [.. result.Select(g => g.Clip(-value, value))];
        return result;
    }

    /// <summary>Keras's <c>clip_by_norm</c>: <c>(g · maxNorm) / max(‖g‖, maxNorm)</c>, formed in that order.</summary>
    private static Tensor ClipByNorm(Tensor g, double maxNorm) => g * maxNorm / Math.Max(Norm(g), maxNorm);

    /// <summary>Keras's <c>clip_by_global_norm</c>: every gradient times <c>maxNorm · min(1/‖all‖, 1/maxNorm)</c>.</summary>
    private static IReadOnlyList<Tensor> ClipByGlobalNorm(IReadOnlyList<Tensor> gradients, double maxNorm)
    {
        double l2 = Math.Sqrt(gradients.Sum(g => SumOfSquares(g)));
        double scale = (float)maxNorm * Math.Min(1 / (float)l2, 1 / (float)maxNorm);
        return [.. gradients.Select(g => g * scale)];
    }

    // The norm is accumulated in float64: Keras sums in the gradient's dtype, which only differs in the last bits.
    private static double Norm(Tensor g) => Math.Sqrt(SumOfSquares(g));

    private static double SumOfSquares(Tensor g) => g.Cast(DType.Float64).Square().Sum().Item<double>();
}
