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

    /// <summary><c>g · min(1, maxNorm / ‖g‖)</c>: unchanged when the norm is already small enough.</summary>
    private static Tensor ClipByNorm(Tensor g, double maxNorm)
    {
        double l2 = Math.Sqrt(g.Square().Sum().Cast(DType.Float64).Item<double>());
        return l2 > maxNorm ? g * (maxNorm / l2) : g;
    }

    private static IReadOnlyList<Tensor> ClipByGlobalNorm(IReadOnlyList<Tensor> gradients, double maxNorm)
    {
        double sumSquares = gradients.Sum(g => g.Square().Sum().Cast(DType.Float64).Item<double>());
        double l2 = Math.Sqrt(sumSquares);
        return l2 > maxNorm ? [.. gradients.Select(g => g * (maxNorm / l2))] : gradients;
    }
}
