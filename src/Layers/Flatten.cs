using Framework.Tensors;

namespace Framework.Layers;

/// <summary>Flattens every dimension but the first (the batch): <c>(32, 28, 28)</c> becomes <c>(32, 784)</c>.</summary>
/// <remarks>An input of rank 1, <c>(batch)</c>, becomes <c>(batch, 1)</c>, as in Keras. The reshape shares storage.</remarks>
/// <param name="name">The layer name; generated (<c>flatten</c>, <c>flatten_1</c>…) when null.</param>
public sealed class Flatten(string? name = null) : Layer(name)
{
    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training)
    {
        if (input.Rank == 0)
            throw new ArgumentException($"Flatten '{Name}' expects inputs with a batch dimension, but received shape {input.Shape}.", nameof(input));
        int features = 1;
        for (int i = 1; i < input.Rank; i++) features *= input.Shape[i];
        return input.Reshape(input.Shape[0], features);
    }

    /// <summary>Re-creates the layer from <see cref="Layer.GetConfig"/>'s dictionary (plain values or JSON elements).</summary>
    public static Flatten FromConfig(IReadOnlyDictionary<string, object?> config) =>
        new(ConfigReader.GetString(config, "name")) { Trainable = ConfigReader.GetBool(config, "trainable", true) };
}
