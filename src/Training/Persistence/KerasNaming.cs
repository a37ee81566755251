using System.Text.RegularExpressions;
using Framework.Layers;
using Framework.Tensors;

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

    /// <summary>The child layers of <paramref name="layer"/> with the attribute name Keras 3 files them under (the edge they
    /// are tracked by: an LSTM's cell is <c>cell</c>, as <c>RNN.__init__</c> sets <c>self.cell</c>), each once.</summary>
    public static IReadOnlyList<(string Name, Layer Child)> ChildLayers(Layer layer)
    {
        var seen = new HashSet<Layer>(ReferenceEqualityComparer.Instance);
        return [.. layer.Children.Where(c => c.Target is Layer child && seen.Add(child)).Select(c => (c.Name, (Layer)c.Target))];
    }

    /// <summary>The weights <paramref name="layer"/> creates itself, not through a child layer: Keras 3's
    /// <c>save_own_variables</c> writes these under the layer's own <c>vars</c> group.</summary>
    public static IReadOnlyList<Variable> OwnWeights(Layer layer)
    {
        var inChildren = new HashSet<Variable>(layer.ChildLayers.SelectMany(c => c.Weights), ReferenceEqualityComparer.Instance);
        return [.. layer.Weights.Where(w => !inChildren.Contains(w))];
    }

    /// <summary>tf.keras's name (without <c>:0</c>) of every weight of <paramref name="layers"/>: the name scopes of the layers
    /// that own it, outermost first. A weight of the layer itself is <c>dense/kernel</c>; a weight of a child layer is prefixed
    /// by its parent, so an LSTM's kernel is <c>lstm/lstm_cell/kernel</c> (tf.keras builds the cell inside the layer's scope
    /// under the cell's own name: <c>RNN.build</c> in keras/layers/rnn/base_rnn.py, the cell named <c>lstm_cell</c> /
    /// <c>gru_cell</c> in lstm.py / gru.py).</summary>
    public static Dictionary<Variable, string> Keras2WeightNames(IEnumerable<Layer> layers)
    {
        var names = new Dictionary<Variable, string>(ReferenceEqualityComparer.Instance);
        foreach (var layer in layers)
            foreach (var weight in layer.Weights) names.TryAdd(weight, Keras2Name(layer, weight));
        return names;
    }

    private static string Keras2Name(Layer layer, Variable weight)
    {
        foreach (var child in layer.ChildLayers)
            if (child.Weights.Contains(weight)) return $"{layer.Name}/{Keras2Name(child, weight)}";
        return weight.Name;
    }

    [GeneratedRegex("(.)([A-Z][a-z]+)")]
    private static partial Regex CapitalisedWord();

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex LowerUpper();
}
