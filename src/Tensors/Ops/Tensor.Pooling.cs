using Framework.Tensors.Backends;
using static Framework.Tensors.Autograd;

namespace Framework.Tensors;

public sealed partial class Tensor
{
    /// <summary>Max pooling of <c>(batch, height, width, channels)</c> images over windows of <paramref name="poolSize"/>.</summary>
    /// <param name="poolSize">The window.</param>
    /// <param name="strides">The step between windows; the pool size when omitted (Keras's default).</param>
    /// <param name="padding">With <see cref="Padding.Same"/>, windows that hang over the border take the maximum of the part inside.</param>
    /// <exception cref="ArgumentException">The rank or a size does not fit; the message gives the shape.</exception>
    public Tensor MaxPool2D(Size2D poolSize, Size2D? strides = null, Padding padding = Padding.Valid) =>
        Pool2D(max: true, nameof(MaxPool2D), poolSize, strides, padding);

    /// <summary>Average pooling of <c>(batch, height, width, channels)</c> images over windows of <paramref name="poolSize"/>.</summary>
    /// <param name="poolSize">The window.</param>
    /// <param name="strides">The step between windows; the pool size when omitted (Keras's default).</param>
    /// <param name="padding">With <see cref="Padding.Same"/>, a window that hangs over the border averages only the elements inside it, as Keras does.</param>
    /// <exception cref="ArgumentException">The rank or a size does not fit; the message gives the shape.</exception>
    public Tensor AvgPool2D(Size2D poolSize, Size2D? strides = null, Padding padding = Padding.Valid) =>
        Pool2D(max: false, nameof(AvgPool2D), poolSize, strides, padding);

    /// <summary>Max pooling of <c>(batch, steps, channels)</c> sequences; see <see cref="MaxPool2D"/>.</summary>
    public Tensor MaxPool1D(int poolSize, int? stride = null, Padding padding = Padding.Valid) =>
        Pool1D(max: true, nameof(MaxPool1D), poolSize, stride, padding);

    /// <summary>Average pooling of <c>(batch, steps, channels)</c> sequences; see <see cref="AvgPool2D"/>.</summary>
    public Tensor AvgPool1D(int poolSize, int? stride = null, Padding padding = Padding.Valid) =>
        Pool1D(max: false, nameof(AvgPool1D), poolSize, stride, padding);

    private Tensor Pool1D(bool max, string op, int poolSize, int? stride, Padding padding)
    {
        if (Rank != 3) Throw.Argument($"{op} needs a (batch, steps, channels) input; received {Shape}.", "input");
        var y = Reshape(Shape[0], 1, Shape[1], Shape[2]).Pool2D(max, op, (1, poolSize), (1, stride ?? poolSize), padding);
        return y.Reshape(y.Shape[0], y.Shape[2], y.Shape[3]);
    }

    private Tensor Pool2D(bool max, string op, Size2D poolSize, Size2D? strides, Padding padding)
    {
        if (Rank != 4) Throw.Argument($"{op} needs a (batch, height, width, channels) input; received {Shape}.", "input");
        if (padding == Padding.Causal) Throw.Argument($"{op}: padding must be 'valid' or 'same'.", nameof(padding));
        if (!DType.IsFloatingPoint()) Throw.DTypeNotSupported(op, DType);
        var g = WindowGeometry.Create(op, Shape, poolSize, strides ?? poolSize, 1, padding);
        var x = this;
        var y = Empty(new Shape(g.Batch, g.OutH, g.OutW, g.Channels), DType, Device);
        Backend.Pool2D(max, x, g, y);
        if (!Needs(x)) return y;
        return Record(y, op, [x], gradY =>
        {
            var gradX = Empty(x.Shape, x.DType, x.Device);
            x.Backend.Pool2DGrad(max, x, y, gradY, g, gradX);
            return [gradX];
        });
    }
}
