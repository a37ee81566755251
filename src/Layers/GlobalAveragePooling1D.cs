using Framework.Tensors;

namespace Framework.Layers;

/// <summary>The average of each channel over all positions of <c>(batch, steps, channels)</c> inputs, as Keras's <c>GlobalAveragePooling1D</c>.</summary>
/// <remarks>No weights. See <see cref="BaseGlobalPooling"/>.</remarks>
/// <param name="dataFormat">Null or <c>channels_last</c>.</param>
/// <param name="keepDims">Whether the pooled axes stay, with size 1.</param>
/// <param name="name">The layer name; generated (<c>global_average_pooling1d</c>…) when null.</param>
/// <exception cref="ArgumentException"><paramref name="dataFormat"/> is not channels-last.</exception>
public sealed class GlobalAveragePooling1D(string? dataFormat = null, bool keepDims = false, string? name = null)
    : BaseGlobalPooling(1, dataFormat, keepDims, name)
{
    /// <inheritdoc/>
    protected override Tensor Reduce(Tensor input, int[] axes) => input.Mean(axes, KeepDims);

    /// <summary>Re-creates the layer from <see cref="Layer.GetConfig"/>'s dictionary (plain values or JSON elements).</summary>
    public static GlobalAveragePooling1D FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        var r = Read(config);
        return new(r.DataFormat, r.KeepDims, r.Name) { Trainable = ConfigReader.GetBool(config, "trainable", true) };
    }
}
