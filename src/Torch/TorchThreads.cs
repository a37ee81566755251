using TorchSharp;

namespace Framework.Torch;

/// <summary>libtorch's intra-op thread count (the managed backend's is <c>Threading.MaxThreads</c>).</summary>
public static class TorchThreads
{
    /// <summary>The threads libtorch's CPU kernels use; set it before the first op for a fixed count.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public static int Count
    {
        get => torch.get_num_threads();
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            torch.set_num_threads(value);
        }
    }
}
