using Framework.Tensors;
using Framework.Tensors.Backends;
using TorchSharp;
using static TorchSharp.torch.nn.functional;
using TorchTensor = TorchSharp.torch.Tensor;

namespace Framework.Torch;

/// <summary>Convolution and pooling on the libtorch backend (see <see cref="IBackend.Conv2D"/> and its siblings).</summary>
/// <remarks>
/// Our tensors are NHWC and our kernels (kh, kw, in, out); libtorch's convolutions take NCHW and (out, in, kh, kw), so
/// each op permutes its operands (views, no copy: an NHWC tensor seen as NCHW is libtorch's channels-last layout) and
/// permutes the result back. TensorFlow's <c>same</c> padding puts the odd row or column after the image, which
/// libtorch's symmetric padding argument cannot say, so the input is padded explicitly (<see cref="TorchWindow"/>).
/// The gradients use the textbook identities: the input gradient is the transposed convolution of gradY, cropped to
/// the image; the kernel gradient is the convolution of the padded input with gradY, batch and channels swapped and
/// stride and dilation exchanged. Average pooling is a depthwise convolution with a kernel of ones divided by the
/// number of window positions inside the image; max pooling keeps libtorch's argmax indices, which mark the first
/// maximum of each window in row-major order (libtorch replaces the running maximum only on a strictly greater value),
/// the element our managed kernel routes the gradient to.
/// </remarks>
public sealed partial class TorchBackend
{
    /// <inheritdoc/>
    public void Conv2D(Tensor x, Tensor kernel, WindowGeometry geometry, Tensor y)
    {
        var window = new TorchWindow(geometry);
        using var xv = View(x);
        using var kv = View(kernel);
        using var input = xv.T.permute(0, 3, 1, 2);
        using var weight = kv.T.permute(3, 2, 0, 1);
        using var padded = window.Pad(input, 0);
        using var output = conv2d(padded, weight, null, window.Strides, [0, 0], window.Dilation);
        WriteNhwc(y, output);
    }

    /// <inheritdoc/>
    public void Conv2DInputGrad(Tensor gradY, Tensor kernel, WindowGeometry geometry, Tensor gradX)
    {
        var window = new TorchWindow(geometry);
        using var gv = View(gradY);
        using var kv = View(kernel);
        using var grad = gv.T.permute(0, 3, 1, 2);
        using var weight = kv.T.permute(3, 2, 0, 1);
        using var spread = conv_transpose2d(grad, weight, null, window.Strides, [0, 0], [0, 0], window.Dilation);
        using var image = window.CropToImage(spread);
        WriteNhwc(gradX, image);
    }

    /// <inheritdoc/>
    public void Conv2DKernelGrad(Tensor x, Tensor gradY, WindowGeometry geometry, Tensor gradKernel)
    {
        var window = new TorchWindow(geometry);
        using var xv = View(x);
        using var gv = View(gradY);
        using var input = xv.T.permute(3, 0, 1, 2);     // (C, N, H, W): the batch becomes the reduced channel axis
        using var grad = gv.T.permute(3, 0, 1, 2);      // (out, N, outH, outW): gradY becomes the kernel
        using var padded = window.Pad(input, 0);
        using var full = conv2d(padded, grad, null, window.Dilation, [0, 0], window.Strides);   // (C, out, ≥kh, ≥kw)
        using var rows = full.narrow(2, 0, geometry.WindowH);
        using var taps = rows.narrow(3, 0, geometry.WindowW);
        using var hwio = taps.permute(2, 3, 0, 1);
        Write(gradKernel, hwio.contiguous());
    }

    /// <inheritdoc/>
    public void Pool2D(bool max, Tensor x, WindowGeometry geometry, Tensor y)
    {
        var window = new TorchWindow(geometry);
        using var xv = View(x);
        using var input = xv.T.permute(0, 3, 1, 2);
        if (max)
        {
            using var padded = window.Pad(input, double.NegativeInfinity);
            var (values, indices) = max_pool2d_with_indices(padded, window.Window, window.Strides, [0, 0], window.Dilation);
            indices.Dispose();
            using (values) WriteNhwc(y, values);
            return;
        }
        using var sums = window.WindowSums(input);
        using var counts = window.PositionsInside(input);
        using var mean = sums.div(counts);
        WriteNhwc(y, mean);
    }

    /// <inheritdoc/>
    public void Pool2DGrad(bool max, Tensor x, Tensor y, Tensor gradY, WindowGeometry geometry, Tensor gradX)
    {
        var window = new TorchWindow(geometry);
        using var xv = View(x);
        using var gv = View(gradY);
        using var input = xv.T.permute(0, 3, 1, 2);
        using var grad = gv.T.permute(0, 3, 1, 2);
        if (max)
        {
            using var padded = window.Pad(input, double.NegativeInfinity);
            var (values, indices) = max_pool2d_with_indices(padded, window.Window, window.Strides, [0, 0], window.Dilation);
            values.Dispose();
            using (indices)
            {
                using var routed = TorchWindow.RouteToIndices(grad, indices, padded);
                using var image = window.CropToImage(routed);
                WriteNhwc(gradX, image);
            }
            return;
        }
        using var counts = window.PositionsInside(input);
        using var share = grad.div(counts);
        using var spread = window.SpreadOverWindows(share);
        using var cropped = window.CropToImage(spread);
        WriteNhwc(gradX, cropped);
    }

    /// <summary>Writes an NCHW libtorch result (computed here, so sharing memory with no operand) into y (NHWC).</summary>
    private static void WriteNhwc(Tensor y, TorchTensor nchw)
    {
        using var nhwc = nchw.permute(0, 2, 3, 1);
        Write(y, nhwc.contiguous());   // channels-last results are already NHWC-contiguous: no copy then
    }
}
