using Framework.Tensors;
using Framework.Tensors.Backends;

namespace Framework.Torch;

/// <summary>Convolution and pooling on the libtorch backend (see <see cref="IBackend.Conv2D"/> and its siblings).</summary>
/// <remarks>
/// For now these run the managed CPU kernels on host copies of the operands and copy the result back: correct on every
/// device and identical in value to the default backend, but paying two copies per call. libtorch's own convolution
/// (NCHW, so a permute on each side, and explicit asymmetric padding for TensorFlow's <c>same</c>) is the next step; the
/// copies are the price of one backend interface until then, and docs/backends.md says so.
/// </remarks>
public sealed partial class TorchBackend
{
    private static IBackend Host => BackendRegistry.For(Device.Cpu);

    /// <inheritdoc/>
    public void Conv2D(Tensor x, Tensor kernel, WindowGeometry geometry, Tensor y) =>
        OnHost(y, [x, kernel], (h, output) => Host.Conv2D(h[0], h[1], geometry, output));

    /// <inheritdoc/>
    public void Conv2DInputGrad(Tensor gradY, Tensor kernel, WindowGeometry geometry, Tensor gradX) =>
        OnHost(gradX, [gradY, kernel], (h, output) => Host.Conv2DInputGrad(h[0], h[1], geometry, output));

    /// <inheritdoc/>
    public void Conv2DKernelGrad(Tensor x, Tensor gradY, WindowGeometry geometry, Tensor gradKernel) =>
        OnHost(gradKernel, [x, gradY], (h, output) => Host.Conv2DKernelGrad(h[0], h[1], geometry, output));

    /// <inheritdoc/>
    public void Pool2D(bool max, Tensor x, WindowGeometry geometry, Tensor y) =>
        OnHost(y, [x], (h, output) => Host.Pool2D(max, h[0], geometry, output));

    /// <inheritdoc/>
    public void Pool2DGrad(bool max, Tensor x, Tensor y, Tensor gradY, WindowGeometry geometry, Tensor gradX) =>
        OnHost(gradX, [x, y, gradY], (h, output) => Host.Pool2DGrad(max, h[0], h[1], h[2], geometry, output));

    /// <summary>Runs <paramref name="compute"/> on host copies of <paramref name="inputs"/> into a host tensor of
    /// <paramref name="output"/>'s shape, then copies that into <paramref name="output"/>.</summary>
    private void OnHost(Tensor output, Tensor[] inputs, Action<Tensor[], Tensor> compute)
    {
        using var noGrad = Autograd.NoGrad();
        var host = new Tensor[inputs.Length];
        try
        {
            for (int i = 0; i < inputs.Length; i++) host[i] = inputs[i].To(Device.Cpu);
            using var result = Tensor.Zeros(output.Shape, output.DType, Device.Cpu);
            compute(host, result);
            using var back = result.To(output.Device);
            using var source = View(back);
            using var target = View(output);
            target.T.copy_(source.T);
        }
        finally
        {
            foreach (var copy in host) copy?.Dispose();
        }
    }
}
