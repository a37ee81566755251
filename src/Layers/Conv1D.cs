using Framework.Tensors;

namespace Framework.Layers;

/// <summary>A 1-D convolution layer over <c>(batch, steps, channels)</c> sequences: <c>activation(conv(input, kernel) + bias)</c>.</summary>
/// <remarks>
/// The kernel is <c>(kernelSize, inChannels, filters)</c>, Keras's layout. <c>causal</c> padding pads only the start so
/// that output step t depends on input steps up to t (WaveNet-style). See <see cref="BaseConv"/> for the shared properties.
/// </remarks>
/// <example>
/// <code>
/// var conv = new Conv1D(16, 5, padding: "causal", activation: "relu");
/// var y = conv.Apply(x);   // x: (32, 100, 8) → y: (32, 100, 16)
/// </code>
/// </example>
public sealed class Conv1D : BaseConv
{
    /// <summary>Creates the layer; the arguments and defaults are Keras's.</summary>
    /// <param name="filters">The number of output channels; positive.</param>
    /// <param name="kernelSize">The window length.</param>
    /// <param name="strides">The step between windows.</param>
    /// <param name="padding"><c>valid</c>, <c>same</c> or <c>causal</c>.</param>
    /// <param name="dataFormat">Null or <c>channels_last</c>.</param>
    /// <param name="dilationRate">The spacing between kernel taps.</param>
    /// <param name="groups">Must be 1.</param>
    /// <param name="activation">An activation name from <see cref="Activations"/>; null or <c>linear</c> for none.</param>
    /// <param name="useBias">Whether to add a bias vector.</param>
    /// <param name="kernelInitializer">How to fill the kernel; <see cref="GlorotUniform"/> by default.</param>
    /// <param name="biasInitializer">How to fill the bias; <see cref="Zeros"/> by default.</param>
    /// <param name="kernelRegularizer">An optional penalty on the kernel.</param>
    /// <param name="biasRegularizer">An optional penalty on the bias.</param>
    /// <param name="name">The layer name; generated (<c>conv1d</c>, <c>conv1d_1</c>…) when null.</param>
    /// <exception cref="ArgumentException">An argument is out of range or unsupported; the message names it.</exception>
    public Conv1D(int filters, int kernelSize, int strides = 1, string padding = "valid", string? dataFormat = null, int dilationRate = 1,
        int groups = 1, string? activation = null, bool useBias = true, Initializer? kernelInitializer = null, Initializer? biasInitializer = null,
        Regularizer? kernelRegularizer = null, Regularizer? biasRegularizer = null, string? name = null)
        : base(1, filters, [kernelSize], [strides], padding, dataFormat, [dilationRate], groups, activation, useBias,
            kernelInitializer, biasInitializer, kernelRegularizer, biasRegularizer, name)
    {
    }

    /// <inheritdoc/>
    protected override Tensor Convolve(Tensor input, Tensor kernel) =>
        input.Conv1D(kernel, Strides[0], WindowArguments.ToPadding(Padding), DilationRate[0]);

    /// <summary>Re-creates the layer from <see cref="Layer.GetConfig"/>'s dictionary (plain values or JSON elements).</summary>
    public static Conv1D FromConfig(IReadOnlyDictionary<string, object?> config) => new(
        ConfigReader.GetInt(config, "filters"), Sizes(config, "kernel_size", 1)[0], Sizes(config, "strides", 1, 1)[0],
        ConfigReader.GetString(config, "padding", "valid")!, ConfigReader.GetString(config, "data_format"), Sizes(config, "dilation_rate", 1, 1)[0],
        ConfigReader.GetInt(config, "groups", 1), ConfigReader.GetString(config, "activation"), ConfigReader.GetBool(config, "use_bias", true),
        ConfigReader.Has(config, "kernel_initializer") ? Initializers.FromConfig(config["kernel_initializer"]) : null,
        ConfigReader.Has(config, "bias_initializer") ? Initializers.FromConfig(config["bias_initializer"]) : null,
        Regularizers.FromConfig(ConfigReader.Get(config, "kernel_regularizer")),
        Regularizers.FromConfig(ConfigReader.Get(config, "bias_regularizer")),
        ConfigReader.GetString(config, "name"))
    { Trainable = ConfigReader.GetBool(config, "trainable", true) };
}
