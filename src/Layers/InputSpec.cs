using Framework.Tensors;

namespace Framework.Layers;

/// <summary>What inputs a layer accepts: a minimum rank and, optionally, a fixed last dimension.</summary>
/// <param name="MinRank">The smallest accepted rank.</param>
/// <param name="LastDim">The required size of the last dimension, or null for any.</param>
public sealed record InputSpec(int MinRank = 0, int? LastDim = null)
{
    /// <summary>Throws when <paramref name="shape"/> does not satisfy this spec.</summary>
    /// <exception cref="ArgumentException">The rank is too small or the last dimension differs; the message names the layer.</exception>
    public void Check(Layer layer, Shape shape)
    {
        if (shape.Rank < MinRank)
            throw new ArgumentException($"{layer.GetType().Name} '{layer.Name}' expects inputs of rank at least {MinRank}, but received shape {shape}.", "input");
        if (LastDim is { } last && shape[-1] != last)
        {
            // Unflattened images are the usual cause: (32, 28, 28) into a layer built for 784 features.
            int features = 1;
            for (int i = 1; i < shape.Rank; i++) features *= shape[i];
            string hint = shape.Rank > 2 && features == last ? " Add a Flatten layer before it." : "";
            throw new ArgumentException($"{layer.GetType().Name} '{layer.Name}' expects inputs whose last dimension is {last}, but received shape {shape}.{hint}", "input");
        }
    }
}
