namespace Framework.Tensors.Backends;

/// <summary>The index arithmetic of one 2-D sliding-window op over NHWC data: a convolution or a pooling.</summary>
/// <remarks>
/// Output element <c>(n, i, j)</c> reads input rows <c>i·StrideH + p·DilationH − PadTop</c> and columns
/// <c>j·StrideW + q·DilationW − PadLeft</c> for window offsets <c>0 ≤ p &lt; WindowH</c>, <c>0 ≤ q &lt; WindowW</c>;
/// positions outside the input are padding (zero for a convolution, skipped by pooling). 1-D ops are the case
/// <c>InH = WindowH = 1</c>. Public because it is part of <see cref="IBackend"/>'s convolution and pooling methods.
/// </remarks>
/// <param name="Batch">Images in the batch (N).</param>
/// <param name="InH">Input height.</param>
/// <param name="InW">Input width.</param>
/// <param name="Channels">Input channels (C).</param>
/// <param name="WindowH">Window (kernel or pool) height.</param>
/// <param name="WindowW">Window width.</param>
/// <param name="StrideH">Vertical step between windows.</param>
/// <param name="StrideW">Horizontal step between windows.</param>
/// <param name="DilationH">Vertical spacing between window taps.</param>
/// <param name="DilationW">Horizontal spacing between window taps.</param>
/// <param name="PadTop">Padding rows before the first input row.</param>
/// <param name="PadLeft">Padding columns before the first input column.</param>
/// <param name="OutH">Output height.</param>
/// <param name="OutW">Output width.</param>
public readonly record struct WindowGeometry(
    int Batch, int InH, int InW, int Channels, int WindowH, int WindowW, int StrideH, int StrideW,
    int DilationH, int DilationW, int PadTop, int PadLeft, int OutH, int OutW)
{
    /// <summary>The geometry of a window over NHWC input of shape <paramref name="input"/>.</summary>
    /// <param name="op">The op's name, for error messages.</param>
    /// <param name="input">The input shape (batch, height, width, channels).</param>
    /// <param name="window">The window (kernel or pool) size.</param>
    /// <param name="strides">The step between windows; positive.</param>
    /// <param name="dilation">The spacing between window taps; positive.</param>
    /// <param name="padding">Keras's padding mode; <see cref="Padding.Causal"/> pads the width only.</param>
    /// <exception cref="ArgumentException">A size is not positive, or the window does not fit a valid input.</exception>
    public static WindowGeometry Create(string op, Shape input, Size2D window, Size2D strides, Size2D dilation, Padding padding)
    {
        if (window.Height <= 0 || window.Width <= 0 || strides.Height <= 0 || strides.Width <= 0 || dilation.Height <= 0 || dilation.Width <= 0)
            Throw.Argument($"{op}: window {window}, strides {strides} and dilation {dilation} must all be positive.", nameof(window));
        var (outH, top) = Axis(op, input[1], window.Height, strides.Height, dilation.Height, padding == Padding.Causal ? Padding.Valid : padding, input);
        var (outW, left) = Axis(op, input[2], window.Width, strides.Width, dilation.Width, padding, input);
        return new WindowGeometry(input[0], input[1], input[2], input[3], window.Height, window.Width, strides.Height, strides.Width,
            dilation.Height, dilation.Width, top, left, outH, outW);
    }

    /// <summary>Output length and padding before the first element along one axis (TensorFlow's arithmetic).</summary>
    private static (int Out, int PadBefore) Axis(string op, int length, int window, int stride, int dilation, Padding padding, Shape input)
    {
        long span = (long)(window - 1) * dilation + 1;
        switch (padding)
        {
            case Padding.Same:
            {
                int output = (int)((length + (long)stride - 1) / stride);
                long total = Math.Max(0, (output - 1L) * stride + span - length);
                return (output, (int)(total / 2));
            }
            case Padding.Causal:
                return ((int)((length + (long)stride - 1) / stride), (int)(span - 1));
            default:
                if (span > length)
                    Throw.Argument($"{op}: the window spans {span} elements (size {window}, dilation {dilation}) but the input {input} has only {length} along that axis with 'valid' padding.", nameof(input));
                return ((int)((length - span) / stride + 1), 0);
        }
    }

    /// <summary>Elements of one im2col row: the window times the channels.</summary>
    public int PatchSize => WindowH * WindowW * Channels;

    /// <summary>Output positions per image.</summary>
    public int OutPixels => OutH * OutW;

    /// <summary>Input elements per image.</summary>
    public int InImage => InH * InW * Channels;

    /// <summary>Whether the op reads its input as a plain matrix (a 1×1 window, stride 1, no padding).</summary>
    public bool IsPointwise => WindowH == 1 && WindowW == 1 && StrideH == 1 && StrideW == 1 && PadTop == 0 && PadLeft == 0;
}
