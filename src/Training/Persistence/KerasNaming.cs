using System.Text.RegularExpressions;
using Framework.Layers;

namespace Framework.Training.Persistence;

/// <summary>The names Keras derives for the objects of a model inside its files.</summary>
internal static partial class KerasNaming
{
    /// <summary>Keras's snake case of a class name: <c>Dense</c> → <c>dense</c>, <c>LeakyReLU</c> → <c>leaky_re_lu</c>,
    /// <c>BatchNormalization</c> → <c>batch_normalization</c> (a capitalised word, then a lower-to-upper boundary, split).</summary>
    public static string ToSnakeCase(string className) =>
        LowerUpper().Replace(CapitalisedWord().Replace(className, "$1_$2"), "$1_$2").ToLowerInvariant();

    /// <summary>The layers of <paramref name="model"/> as Keras lists them in <c>model.layers</c> (no InputLayer for a Sequential).</summary>
    public static IReadOnlyList<Layer> Layers(Model model) => model is Sequential sequential ? sequential.Layers : [.. model.ChildLayers];

    /// <summary>The path component of each layer in a Keras 3 file: the snake-cased class name with a per-class counter
    /// (<c>dense</c>, <c>dense_1</c>…) in list order, whatever the layers' own names are.</summary>
    public static IReadOnlyList<string> Keras3LayerPaths(IReadOnlyList<Layer> layers)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var paths = new List<string>(layers.Count);
        foreach (var layer in layers)
        {
            string name = ToSnakeCase(LayerRegistry.GetClassName(layer));
            int seen = counts.GetValueOrDefault(name);
            counts[name] = seen + 1;
            paths.Add(seen == 0 ? name : $"{name}_{seen}");
        }
        return paths;
    }

    [GeneratedRegex("(.)([A-Z][a-z]+)")]
    private static partial Regex CapitalisedWord();

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex LowerUpper();
}
