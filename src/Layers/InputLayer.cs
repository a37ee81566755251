using Framework.Tensors;

namespace Framework.Layers;

/// <summary>Declares the shape of a model's inputs, without the batch dimension, so a model can be built before data arrives.</summary>
/// <remarks>
/// It passes its input through unchanged after checking it. A <c>Sequential</c> that starts with one knows the
/// input shape of every later layer and can build them immediately. Its configuration uses Keras 3's
/// <c>batch_shape</c> (<c>[null, 784]</c>); Keras 2's <c>batch_input_shape</c> is read too.
/// </remarks>
/// <example><code>var input = new InputLayer([28, 28]);   // accepts (batch, 28, 28)</code></example>
public sealed class InputLayer : Layer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="shape">The shape of one example, without the batch dimension; every dimension positive.</param>
    /// <param name="name">The layer name; generated (<c>input_layer</c>, <c>input_layer_1</c>…) when null.</param>
    /// <exception cref="ArgumentException">A dimension is not positive.</exception>
    public InputLayer(Shape shape, string? name = null)
        : base(name)
    {
        foreach (int dim in shape)
        {
            if (dim <= 0)
                throw new ArgumentException($"InputLayer '{Name}': every dimension of the input shape must be positive; received shape {shape}.", nameof(shape));
        }
        InputShape = shape;
        InputSpec = new InputSpec(MinRank: shape.Rank + 1);
    }

    /// <summary>The shape of one example, without the batch dimension.</summary>
    public Shape InputShape { get; }

    /// <summary>The full input shape for a batch of <paramref name="batchSize"/> examples.</summary>
    public Shape BatchShape(int batchSize) => new([batchSize, .. InputShape.Dims]);

    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training)
    {
        if (input.Rank != InputShape.Rank + 1 || !input.Shape.Dims[1..].SequenceEqual(InputShape.Dims))
            throw new ArgumentException($"InputLayer '{Name}' expects inputs of shape (batch, {string.Join(", ", InputShape)}), but received shape {input.Shape}.", nameof(input));
        return input;
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["batch_shape"] = new List<int?> { null }.Concat(InputShape.Select(d => (int?)d)).ToList();
        config["dtype"] = "float32";
        return config;
    }

    /// <summary>Re-creates the layer from <see cref="GetConfig"/>'s dictionary (plain values or JSON elements).</summary>
    /// <exception cref="ArgumentException">The configuration has no <c>batch_shape</c> or <c>batch_input_shape</c>, or a non-batch dimension is unknown.</exception>
    public static InputLayer FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        var batchShape = ConfigReader.GetIntList(config, ConfigReader.Has(config, "batch_shape") ? "batch_shape" : "batch_input_shape");
        if (batchShape.Length == 0 || batchShape.Skip(1).Any(d => d is null))
            throw new ArgumentException($"InputLayer: the batch shape must be [batch, known dimensions...]; received [{string.Join(", ", batchShape.Select(d => d?.ToString() ?? "null"))}].", nameof(config));
        return new InputLayer(new Shape([.. batchShape.Skip(1).Select(d => d!.Value)]), ConfigReader.GetString(config, "name"));
    }
}
