using Framework.Tensors;

namespace Framework.Layers;

/// <summary>Produces the initial value of a weight.</summary>
public abstract class Initializer
{
    /// <summary>Creates a tensor of <paramref name="shape"/> and <paramref name="dtype"/> holding initial values.</summary>
    public abstract Tensor Create(Shape shape, DType dtype);

    /// <summary>The initializer's configuration as JSON-ready values, including its Keras class name.</summary>
    public abstract Dictionary<string, object?> GetConfig();
}
