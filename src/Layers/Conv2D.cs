using Framework.Tensors;

namespace Framework.Layers;

/// <summary>A 2-D convolution layer over <c>(batch, height, width, channels)</c> images: <c>activation(conv(input, kernel) + bias)</c>.</summary>
/// <remarks>
/// The kernel is <c>(kernelHeight, kernelWidth, inChannels, filters)</c>, Keras's layout, so its weights, checkpoints and
/// <c>.h5</c> files are interchangeable with Keras's. <c>same</c> padding keeps <c>ceil(size / stride)</c> positions and
/// pads as TensorFlow does. See <see cref="BaseConv"/> for the shared properties.
/// </remarks>
/// <example>
/// <code>
/// var conv = new Conv2D(32, 3, activation: "relu");
/// var y = conv.Apply(x);   // x: (128, 28, 28, 1) → y: (128, 26, 26, 32)
/// </code>
/// </example>
public sealed class Conv2D : BaseConv
{
    /// <summary>Creates the layer; the arguments and defaults are Keras's.</summary>
    /// <param name="filters">The number of output channels; positive.</param>
    /// <param name="kernelSize">The window: an int for a square one, or (height, width).</param>
    /// <param name="strides">The step between windows; (1, 1) when null.</param>
    /// <param name="padding"><c>valid</c> (no padding) or <c>same</c> (zero padding, output <c>ceil(size / stride)</c>).</param>
    /// <param name="dataFormat">Null or <c>channels_last</c>.</param>
    /// <param name="dilationRate">The spacing between kernel taps; (1, 1) when null.</param>
    /// <param name="groups">Must be 1.</param>
    /// <param name="activation">An activation name from <see cref="Activations"/>; null or <c>linear</c> for none.</param>
    /// <param name="useBias">Whether to add a bias vector.</param>
    /// <param name="kernelInitializer">How to fill the kernel; <see cref="GlorotUniform"/> by default.</param>
    /// <param name="biasInitializer">How to fill the bias; <see cref="Zeros"/> by default.</param>
    /// <param name="kernelRegularizer">An optional penalty on the kernel.</param>
    /// <param name="biasRegularizer">An optional penalty on the bias.</param>
    /// <param name="name">The layer name; generated (<c>conv2d</c>, <c>conv2d_1</c>…) when null.</param>
    /// <exception cref="ArgumentException">An argument is out of range or unsupported; the message names it.</exception>
    public Conv2D(int filters, Size2D kernelSize, Size2D? strides = null, string padding = "valid", string? dataFormat = null,
        Size2D? dilationRate = null, int groups = 1, string? activation = null, bool useBias = true, Initializer? kernelInitializer = null,
        Initializer? biasInitializer = null, Regularizer? kernelRegularizer = null, Regularizer? biasRegularizer = null, string? name = null)
        : base(2, filters, Pair(kernelSize), Pair(strides ?? 1), padding, dataFormat, Pair(dilationRate ?? 1), groups, activation, useBias,
            kernelInitializer, biasInitializer, kernelRegularizer, biasRegularizer, name)
    {
    }

    /// <inheritdoc/>
    protected override Tensor Convolve(Tensor input, Tensor kernel) =>
        input.Conv2D(kernel, (Strides[0], Strides[1]), WindowArguments.ToPadding(Padding), (DilationRate[0], DilationRate[1]));

    /// <summary>Re-creates the layer from <see cref="Layer.GetConfig"/>'s dictionary (plain values or JSON elements).</summary>
    public static Conv2D FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        var (kernel, strides, dilation) = (Sizes(config, "kernel_size", 2), Sizes(config, "strides", 2, 1), Sizes(config, "dilation_rate", 2, 1));
        return new Conv2D(ConfigReader.GetInt(config, "filters"), (kernel[0], kernel[1]), (strides[0], strides[1]),
            ConfigReader.GetString(config, "padding", "valid")!, ConfigReader.GetString(config, "data_format"), (dilation[0], dilation[1]),
            ConfigReader.GetInt(config, "groups", 1), ConfigReader.GetString(config, "activation"), ConfigReader.GetBool(config, "use_bias", true),
            ConfigReader.Has(config, "kernel_initializer") ? Initializers.FromConfig(config["kernel_initializer"]) : null,
            ConfigReader.Has(config, "bias_initializer") ? Initializers.FromConfig(config["bias_initializer"]) : null,
            Regularizers.FromConfig(ConfigReader.Get(config, "kernel_regularizer")),
            Regularizers.FromConfig(ConfigReader.Get(config, "bias_regularizer")),
            ConfigReader.GetString(config, "name"))
        { Trainable = ConfigReader.GetBool(config, "trainable", true) };
    }

    private static int[] Pair(Size2D size) => [size.Height, size.Width];
}
