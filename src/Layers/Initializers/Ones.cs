using Framework.Tensors;

namespace Framework.Layers;

/// <summary>Fills a weight with 1 (Keras <c>ones</c>, the default <c>gamma</c> of batch normalization).</summary>
public sealed class Ones : Initializer
{
    /// <inheritdoc/>
    public override Tensor Create(Shape shape, DType dtype) => Tensor.Ones(shape, dtype);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => InitializerConfig.Of("Ones", []);
}
