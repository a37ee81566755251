using Framework.Tensors;

namespace Framework.Layers;

/// <summary>Max pooling over windows of <c>(batch, steps, channels)</c> inputs, as Keras's <c>MaxPooling1D</c>.</summary>
/// <remarks>No weights. See <see cref="BasePooling"/> for the padding rules.</remarks>
public sealed class MaxPooling1D : BasePooling
{
    /// <summary>Creates the layer; the arguments and defaults are Keras's.</summary>
    /// <param name="poolSize">The window length.</param>
    /// <param name="strides">The step between windows; the pool size when null.</param>
    /// <param name="padding"><c>valid</c> or <c>same</c>.</param>
    /// <param name="dataFormat">Null or <c>channels_last</c>.</param>
    /// <param name="name">The layer name; generated (<c>max_pooling1d</c>…) when null.</param>
    /// <exception cref="ArgumentException">An argument is out of range or unsupported; the message names it.</exception>
    public MaxPooling1D(int poolSize = 2, int? strides = null, string padding = "valid", string? dataFormat = null, string? name = null)
        : base(1, [poolSize], strides is { } s ? [s] : null, padding, dataFormat, name)
    {
    }

    /// <inheritdoc/>
    protected override Tensor Pool(Tensor input, Padding padding) => input.MaxPool1D(PoolSize[0], Strides[0], padding);

    /// <summary>Re-creates the layer from <see cref="Layer.GetConfig"/>'s dictionary (plain values or JSON elements).</summary>
    public static MaxPooling1D FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        var r = Read(config, 1);
        return new(r.PoolSize[0], r.Strides?[0], r.Padding, r.DataFormat, r.Name) { Trainable = ConfigReader.GetBool(config, "trainable", true) };
    }
}
