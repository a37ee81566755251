using Framework.Tensors.Backends;
using static Framework.Tensors.Autograd;

namespace Framework.Tensors;

public sealed partial class Tensor
{
    /// <summary>2-D convolution (cross-correlation, as in Keras) of channels-last images with <paramref name="kernel"/>.</summary>
    /// <remarks>
    /// This tensor is <c>(batch, height, width, inChannels)</c> and the kernel <c>(kernelHeight, kernelWidth, inChannels,
    /// outChannels)</c>, Keras's layouts; the result is <c>(batch, outHeight, outWidth, outChannels)</c>. With
    /// <see cref="Padding.Same"/> the output is <c>ceil(size / stride)</c> along each axis and the zero padding is split
    /// as TensorFlow splits it (the extra element, if any, after). Differentiable in both arguments.
    /// </remarks>
    /// <param name="kernel">The filters, of this tensor's dtype and device.</param>
    /// <param name="strides">The step between windows; (1, 1) when omitted.</param>
    /// <param name="padding"><see cref="Padding.Valid"/> or <see cref="Padding.Same"/>.</param>
    /// <param name="dilation">The spacing between kernel taps; (1, 1) when omitted.</param>
    /// <exception cref="ArgumentException">A rank, the channel count, the padding or a size does not fit; the message gives the shapes.</exception>
    public Tensor Conv2D(Tensor kernel, Size2D? strides = null, Padding padding = Padding.Valid, Size2D? dilation = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        if (Rank != 4 || kernel.Rank != 4)
            Throw.Argument($"Conv2D needs a (batch, height, width, channels) input and a (kh, kw, in, out) kernel; received {Shape} and {kernel.Shape}.", nameof(kernel));
        if (padding == Padding.Causal)
            Throw.Argument("Conv2D: 'causal' padding is for 1-D convolutions only.", nameof(padding));
        var g = WindowGeometry.Create(nameof(Conv2D), Shape, (kernel.Shape[0], kernel.Shape[1]), strides ?? 1, dilation ?? 1, padding);
        return Convolve(nameof(Conv2D), this, kernel, g);
    }

    /// <summary>1-D convolution of <c>(batch, steps, inChannels)</c> sequences with a <c>(kernelSize, inChannels, outChannels)</c> kernel.</summary>
    /// <remarks>Runs as a 2-D convolution of height 1. <see cref="Padding.Causal"/> pads only the start, so step t sees steps up to t.</remarks>
    /// <param name="kernel">The filters, of this tensor's dtype and device.</param>
    /// <param name="stride">The step between windows.</param>
    /// <param name="padding"><see cref="Padding.Valid"/>, <see cref="Padding.Same"/> or <see cref="Padding.Causal"/>.</param>
    /// <param name="dilation">The spacing between kernel taps.</param>
    /// <exception cref="ArgumentException">A rank, the channel count or a size does not fit; the message gives the shapes.</exception>
    public Tensor Conv1D(Tensor kernel, int stride = 1, Padding padding = Padding.Valid, int dilation = 1)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        if (Rank != 3 || kernel.Rank != 3)
            Throw.Argument($"Conv1D needs a (batch, steps, channels) input and a (k, in, out) kernel; received {Shape} and {kernel.Shape}.", nameof(kernel));
        var x = Reshape(Shape[0], 1, Shape[1], Shape[2]);
        var g = WindowGeometry.Create(nameof(Conv1D), x.Shape, (1, kernel.Shape[0]), (1, stride), (1, dilation), padding);
        var y = Convolve(nameof(Conv1D), x, kernel.Reshape(1, kernel.Shape[0], kernel.Shape[1], kernel.Shape[2]), g);
        return y.Reshape(y.Shape[0], y.Shape[2], y.Shape[3]);
    }

    private static Tensor Convolve(string op, Tensor x, Tensor kernel, WindowGeometry g)
    {
        Throw.IfDifferentDevices(op, x, kernel);
        Throw.IfDifferentDTypes(op, x, kernel);
        if (!x.DType.IsFloatingPoint()) Throw.DTypeNotSupported(op, x.DType);
        if (kernel.Shape[2] != x.Shape[3])
            Throw.Argument($"{op}: the kernel expects {kernel.Shape[2]} input channels but the input has {x.Shape[3]} (kernel {kernel.Shape}, input {x.Shape}).", nameof(kernel));
        var y = Empty(new Shape(g.Batch, g.OutH, g.OutW, kernel.Shape[3]), x.DType, x.Device);
        x.Backend.Conv2D(x, kernel, g, y);
        if (!Needs(x, kernel)) return y;
        return Record(y, nameof(Conv2D), [x, kernel], gradY =>
        {
            Tensor? gradX = null, gradKernel = null;
            if (x.RequiresGrad)
            {
                gradX = Empty(x.Shape, x.DType, x.Device);
                x.Backend.Conv2DInputGrad(gradY, kernel, g, gradX);
            }
            if (kernel.RequiresGrad)
            {
                gradKernel = Empty(kernel.Shape, kernel.DType, kernel.Device);
                x.Backend.Conv2DKernelGrad(x, gradY, g, gradKernel);
            }
            return [gradX, gradKernel];
        });
    }
}
