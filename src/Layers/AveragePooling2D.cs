using Framework.Tensors;

namespace Framework.Layers;

/// <summary>Average pooling over windows of <c>(batch, height, width, channels)</c> inputs, as Keras's <c>AveragePooling2D</c>.</summary>
/// <remarks>No weights. See <see cref="BasePooling"/> for the padding rules.</remarks>
public sealed class AveragePooling2D : BasePooling
{
    /// <summary>Creates the layer; the arguments and defaults are Keras's.</summary>
    /// <param name="poolSize">The window: an int for a square one, or (height, width); (2, 2) when null.</param>
    /// <param name="strides">The step between windows; the pool size when null.</param>
    /// <param name="padding"><c>valid</c> or <c>same</c>.</param>
    /// <param name="dataFormat">Null or <c>channels_last</c>.</param>
    /// <param name="name">The layer name; generated (<c>average_pooling2d</c>…) when null.</param>
    /// <exception cref="ArgumentException">An argument is out of range or unsupported; the message names it.</exception>
    public AveragePooling2D(Size2D? poolSize = null, Size2D? strides = null, string padding = "valid", string? dataFormat = null, string? name = null)
        : base(2, Pair(poolSize ?? 2), strides is { } s ? Pair(s) : null, padding, dataFormat, name)
    {
    }

    /// <inheritdoc/>
    protected override Tensor Pool(Tensor input, Padding padding) => input.AvgPool2D((PoolSize[0], PoolSize[1]), (Strides[0], Strides[1]), padding);

    /// <summary>Re-creates the layer from <see cref="Layer.GetConfig"/>'s dictionary (plain values or JSON elements).</summary>
    public static AveragePooling2D FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        var r = Read(config, 2);
        return new((r.PoolSize[0], r.PoolSize[1]), r.Strides is { } s ? (s[0], s[1]) : null, r.Padding, r.DataFormat, r.Name) { Trainable = ConfigReader.GetBool(config, "trainable", true) };
    }

    private static int[] Pair(Size2D size) => [size.Height, size.Width];
}
