using TorchTensor = TorchSharp.torch.Tensor;

namespace Framework.Torch;

/// <summary>A libtorch tensor seen with one of our tensors' shapes: either the storage's own tensor (borrowed) or a new view.</summary>
internal readonly struct NativeView(TorchTensor tensor, bool owned) : IDisposable
{
    public TorchTensor T { get; } = tensor;

    /// <summary>Releases the view's handle (never the storage's own tensor).</summary>
    public void Dispose()
    {
        if (owned) T.Dispose();
    }
}
