using Framework.Layers;
using Framework.Tensors;

namespace Framework.Training.Saving;

/// <summary>Builds a model re-created from config.json for its <c>build_config</c> input shape; a layer that cannot be built
/// (a config value its build refuses) becomes an <see cref="InvalidDataException"/> naming the file and the layer's JSON path.</summary>
internal static class ModelBuild
{
    /// <summary>Builds <paramref name="model"/> for <paramref name="inputShape"/>.</summary>
    /// <param name="model">The re-created model.</param>
    /// <param name="inputShape">The input shape, batch dimension first.</param>
    /// <param name="path">config.json, for messages.</param>
    /// <param name="configIndex">For a Sequential, the index in <c>config.layers</c> of each of its layers.</param>
    /// <exception cref="InvalidDataException">The model cannot be built; the message names the layer as <c>config.layers[i]</c>.</exception>
    public static void Build(Model model, Shape inputShape, string path, IReadOnlyList<int> configIndex)
    {
        if (model is Sequential { Layers.Count: 0 })
            throw LoadError.At(path, "config.layers", "a built Sequential model needs at least one layer; the list is empty (or holds only an InputLayer) while build_config is present.");
        if (model is Sequential sequential)
        {
            // Layer by layer first, so that a failure names its layer; the model's own build then reuses the built layers.
            var shape = inputShape;
            for (int i = 0; i < sequential.Layers.Count; i++)
            {
                var layer = sequential.Layers[i];
                shape = Attempt(() => layer.ComputeOutputShape(shape), path, $"config.layers[{configIndex[i]}]", $"{layer} cannot be built for its input shape {shape}");
            }
        }
        Attempt(() => { model.EnsureBuilt(inputShape); return inputShape; }, path, "build_config.input_shape",
            $"the model cannot be built for the input shape {Shape.Format(inputShape.Dims[1..])} of build_config (batch dimension left out)");
    }

    private static Shape Attempt(Func<Shape> build, string path, string where, string what)
    {
        try
        {
            return build();
        }
        catch (Exception e) when (LayerFactory.IsRefusal(e))
        {
            throw LoadError.At(path, where, $"{what}: {e.Message}", e);
        }
    }
}
