using Framework.Tensors;

namespace Framework.Training;

/// <summary>Mini-batch slicing and per-epoch shuffling of in-memory datasets.</summary>
internal static class Batches
{
    public static int Count(int samples, int batchSize) => (samples + batchSize - 1) / batchSize;

    /// <summary>Batch <paramref name="step"/>: a view of contiguous rows, so taking a batch copies nothing.</summary>
    public static Tensor Take(Tensor data, int step, int batchSize)
    {
        int start = step * batchSize;
        return data.Slice(start, Math.Min(batchSize, data.Shape[0] - start));
    }

    /// <summary>Both tensors reordered by one random permutation (one gather per epoch, then contiguous batches).</summary>
    public static (Tensor X, Tensor Y) Shuffle(Tensor x, Tensor y, RandomGenerator generator)
    {
        var permutation = Tensor.FromArray(generator.Permutation(x.Shape[0]));
        using var _ = Autograd.NoGrad();
        return (x.Gather(permutation), y.Gather(permutation));
    }

    public static void CheckSamples(Tensor x, Tensor y, string operation)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Rank == 0 || y.Rank == 0 || x.Shape[0] != y.Shape[0])
            throw new ArgumentException($"{operation}: inputs of shape {x.Shape} and targets of shape {y.Shape} must have the same number of samples (first dimension).", nameof(y));
    }
}
