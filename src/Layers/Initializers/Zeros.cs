using Framework.Tensors;

namespace Framework.Layers;

/// <summary>Fills a weight with 0 (Keras <c>zeros</c>, the default bias initializer).</summary>
public sealed class Zeros : Initializer
{
    /// <inheritdoc/>
    public override Tensor Create(Shape shape, DType dtype) => Tensor.Zeros(shape, dtype);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => InitializerConfig.Of("Zeros", []);
}
