using Framework.Tensors;

namespace Framework.Layers;

/// <summary>A penalty on a weight's values that is added to the training loss.</summary>
public abstract class Regularizer
{
    /// <summary>The scalar penalty for <paramref name="weight"/>; differentiable.</summary>
    public abstract Tensor Penalty(Tensor weight);

    /// <summary>The regularizer's configuration as JSON-ready values, including its Keras class name.</summary>
    public abstract Dictionary<string, object?> GetConfig();
}
