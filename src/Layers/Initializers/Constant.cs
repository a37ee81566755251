using Framework.Tensors;

namespace Framework.Layers;

/// <summary>Fills a weight with one value (Keras <c>constant</c>).</summary>
/// <param name="value">The value of every element.</param>
public sealed class Constant(double value = 0) : Initializer
{
    /// <summary>The value of every element.</summary>
    public double Value { get; } = value;

    /// <inheritdoc/>
    public override Tensor Create(Shape shape, DType dtype) => Tensor.Full(shape, Value, dtype);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => InitializerConfig.Of("Constant", new() { ["value"] = Value });
}
