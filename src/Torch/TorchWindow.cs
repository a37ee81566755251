using Framework.Tensors.Backends;
using TorchSharp;
using static TorchSharp.torch.nn.functional;
using TorchTensor = TorchSharp.torch.Tensor;

namespace Framework.Torch;

/// <summary>
/// One <see cref="WindowGeometry"/> in libtorch's terms (NCHW tensors, <c>long[]</c> sizes), with the padding and cropping
/// that turn TensorFlow's possibly asymmetric padding into libtorch ops that take none.
/// </summary>
/// <remarks>
/// The padded extent is what the windows reach: <c>(out − 1)·stride + (window − 1)·dilation + 1</c> rows from the first
/// padding row; rows beyond it (a <c>valid</c> window that does not reach the last rows) are never read, so nothing is
/// padded after the image then, and gradients give them zero when cropped back to the image.
/// </remarks>
internal readonly struct TorchWindow(WindowGeometry g)
{
    public long[] Window { get; } = [g.WindowH, g.WindowW];

    public long[] Strides { get; } = [g.StrideH, g.StrideW];

    public long[] Dilation { get; } = [g.DilationH, g.DilationW];

    private long ExtentH => (g.OutH - 1L) * g.StrideH + (g.WindowH - 1L) * g.DilationH + 1;

    private long ExtentW => (g.OutW - 1L) * g.StrideW + (g.WindowW - 1L) * g.DilationW + 1;

    /// <summary>x (…, H, W) padded with <paramref name="value"/> to the windows' extent (a new handle even when nothing is padded).</summary>
    public TorchTensor Pad(TorchTensor x, double value)
    {
        long bottom = Math.Max(0, ExtentH - g.InH - g.PadTop), right = Math.Max(0, ExtentW - g.InW - g.PadLeft);
        if (g.PadTop == 0 && g.PadLeft == 0 && bottom == 0 && right == 0) return x.alias();
        return pad(x, [g.PadLeft, right, g.PadTop, bottom], PaddingModes.Constant, value);
    }

    /// <summary>A gradient over padded coordinates (…, rows from the first padding row) cut or zero-extended to the image.</summary>
    public TorchTensor CropToImage(TorchTensor padded)
    {
        long h = padded.shape[^2], w = padded.shape[^1];
        return pad(padded, [-g.PadLeft, g.InW + g.PadLeft - w, -g.PadTop, g.InH + g.PadTop - h], PaddingModes.Constant, 0);
    }

    /// <summary>Each window's sum over NCHW x, padding counted as zero: a depthwise convolution with a kernel of ones.</summary>
    public TorchTensor WindowSums(TorchTensor x)
    {
        using var padded = Pad(x, 0);
        using var ones = Ones(x, x.shape[1]);
        return conv2d(padded, ones, null, Strides, [0, 0], Dilation, groups: x.shape[1]);
    }

    /// <summary>(1, 1, outH, outW): how many positions of each window lie inside the image, in x's dtype.</summary>
    public TorchTensor PositionsInside(TorchTensor x)
    {
        using var image = torch.ones([1, 1, g.InH, g.InW], x.dtype, x.device);
        using var padded = Pad(image, 0);
        using var ones = Ones(x, 1);
        return conv2d(padded, ones, null, Strides, [0, 0], Dilation);
    }

    /// <summary>Adds each window's value of NCHW <paramref name="perWindow"/> to every position of the window (over the extent).</summary>
    public TorchTensor SpreadOverWindows(TorchTensor perWindow)
    {
        using var ones = Ones(perWindow, perWindow.shape[1]);
        return conv_transpose2d(perWindow, ones, null, Strides, [0, 0], [0, 0], Dilation, groups: perWindow.shape[1]);
    }

    /// <summary>Sends each element of NCHW <paramref name="grad"/> to the padded-input position its window's argmax names.</summary>
    public static TorchTensor RouteToIndices(TorchTensor grad, TorchTensor indices, TorchTensor padded)
    {
        long n = padded.shape[0], c = padded.shape[1], h = padded.shape[2], w = padded.shape[3];
        var routed = torch.zeros([n, c, h * w], grad.dtype, grad.device);
        using var flatIndices = indices.reshape(n, c, -1);
        using var flatGrad = grad.reshape(n, c, -1);
        routed.scatter_add_(2, flatIndices, flatGrad);   // adds: overlapping windows may pick the same element
        using (routed) return routed.view(n, c, h, w);
    }

    /// <summary>A (channels, 1, kh, kw) kernel of ones in like's dtype and device.</summary>
    private TorchTensor Ones(TorchTensor like, long channels) =>
        torch.ones([channels, 1, g.WindowH, g.WindowW], like.dtype, like.device);
}
