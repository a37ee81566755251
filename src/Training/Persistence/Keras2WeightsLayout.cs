using Framework.Tensors;
using PureHDF;

namespace Framework.Training.Persistence;

/// <summary>Keras 2's weights layout (<c>save_weights("x.h5")</c>, and <c>/model_weights</c> of a full-model <c>.h5</c>).</summary>
/// <remarks>
/// <code>
/// /                         attrs layer_names = every layer's name in model order, backend, keras_version
/// /dense/                   attr weight_names = ["dense/kernel:0", "dense/bias:0"] (an empty float64 array when weightless)
/// /dense/dense/kernel:0     one dataset per weight; the weight name is a path inside the layer's group
/// /lstm/lstm/lstm_cell/kernel:0   a child layer's weight carries its scope too (<see cref="KerasNaming.Keras2WeightNames"/>)
/// /top_level_model_weights/ attr weight_names = [] (the model's own weights, as tf.keras 2.11 writes)
/// </code>
/// Loading is Keras's "topological" order: the model's layers that own weights, paired in order with the groups whose
/// <c>weight_names</c> is not empty, each weight in <c>weight_names</c> order. The names are never rebuilt, only read, so
/// files whose weight names carry another scope (Keras 3's <c>sequential_1/dense_3/kernel</c>) load too.
/// </remarks>
internal static class Keras2WeightsLayout
{
    /// <summary>The <c>keras_version</c> written: the tf.keras release whose layout these files reproduce.</summary>
    public const string KerasVersion = "2.11.0";

    /// <summary>The <c>backend</c> written.</summary>
    public const string Backend = "tensorflow";

    private const string TopLevel = "top_level_model_weights";

    /// <summary>Fills <paramref name="group"/> with <paramref name="model"/>'s weights.</summary>
    /// <param name="group">The group to fill (the root of a weights file, or a full-model file's <c>model_weights</c>).</param>
    /// <param name="model">A built model.</param>
    /// <param name="snapshot">Whether the datasets hold copies of the values (see <see cref="H5Output.Dataset"/>).</param>
    /// <exception cref="InvalidOperationException">Two layers share a name (their groups would collide).</exception>
    public static void Write(H5Group group, Model model, bool snapshot)
    {
        var layers = KerasNaming.Layers(model);
        if (layers.GroupBy(l => l.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
            throw new InvalidOperationException($"The model has two layers named '{duplicate.Key}'; Keras's .h5 layout keys layers by name. Give the layers distinct names.");
        group.Attributes["layer_names"] = H5Output.StringList([.. layers.Select(l => l.Name)]);
        group.Attributes["backend"] = Backend;
        group.Attributes["keras_version"] = KerasVersion;
        var weightNames = KerasNaming.Keras2WeightNames(layers);
        foreach (var layer in layers)
        {
            var layerGroup = new H5Group();
            var names = layer.Weights.Select(w => $"{weightNames[w]}:0").ToList();
            layerGroup.Attributes["weight_names"] = H5Output.StringList(names);
            for (int i = 0; i < names.Count; i++) H5Output.Put(layerGroup, names[i], H5Output.Dataset(layer.Weights[i].Value, snapshot));
            group[layer.Name] = layerGroup;
        }
        group[TopLevel] = new H5Group { Attributes = new() { ["weight_names"] = H5Output.StringList([]) } };
    }

    /// <summary>Pairs the weights in <paramref name="group"/> (at <paramref name="where"/>) with <paramref name="model"/>'s.</summary>
    /// <exception cref="InvalidDataException">The group has no <c>layer_names</c>, or names a weight it does not hold.</exception>
    public static void Read(H5Input input, IH5Group group, string where, Model model, WeightAssignments into)
    {
        var layerNames = input.StringListAttribute(group, "layer_names", where)
            ?? throw new InvalidDataException($"'{input.Path}': '{where}' has no layer_names attribute: it is not a Keras 2 weights layout.");
        var saved = new List<(string Layer, IH5Group Group, IReadOnlyList<string> Names)>();
        foreach (string name in layerNames)
        {
            var layerGroup = input.Group(group, name)
                ?? throw new InvalidDataException($"'{input.Path}': layer_names lists '{name}' but '{where}/{name}' does not exist.");
            var names = input.StringListAttribute(layerGroup, "weight_names", $"{where}/{name}") ?? [];
            if (names.Count > 0) saved.Add((name, layerGroup, names));
        }
        var layers = KerasNaming.Layers(model).Where(l => l.Weights.Count > 0).ToList();
        for (int k = 0; k < Math.Max(saved.Count, layers.Count); k++)
        {
            if (k < layers.Count && k < saved.Count && layers[k].Weights.Count == 3 && CudnnRecurrentWeights.Applies(layers[k], saved[k].Names.Count))
            {
                MatchRecurrent(input, where, saved[k], layers[k], into);
                continue;
            }
            var weights = k < layers.Count ? layers[k].Weights : [];
            var names = k < saved.Count ? saved[k].Names : [];
            for (int j = 0; j < Math.Max(weights.Count, names.Count); j++)
            {
                if (j >= names.Count)
                {
                    into.Missing($"{where}/{(k < saved.Count ? saved[k].Layer : "?")}/{weights[j].Name}:0", weights[j]);
                    continue;
                }
                string key = $"{where}/{saved[k].Layer}/{names[j]}";
                var dataset = input.Dataset(saved[k].Group, names[j])
                    ?? throw new InvalidDataException($"'{input.Path}': weight_names of '{where}/{saved[k].Layer}' lists '{names[j]}', which does not exist.");
                if (j < weights.Count) into.Match(weights[j], input.Value(dataset, key));
                else
                {
                    var (shape, dtype) = input.Describe(dataset, key);
                    into.Unexpected(key, shape, dtype);
                }
            }
        }
    }

    /// <summary>An LSTM's or GRU's three weights, read together so that Keras 2's CuDNNLSTM / CuDNNGRU layout is converted
    /// as Keras's loader converts it (<see cref="CudnnRecurrentWeights"/>).</summary>
    private static void MatchRecurrent(H5Input input, string where, (string Layer, IH5Group Group, IReadOnlyList<string> Names) saved,
        Framework.Layers.Layer layer, WeightAssignments into)
    {
        var keys = saved.Names.Select(n => $"{where}/{saved.Layer}/{n}").ToArray();
        var values = new Tensor[keys.Length];
        for (int j = 0; j < keys.Length; j++)
        {
            var dataset = input.Dataset(saved.Group, saved.Names[j])
                ?? throw new InvalidDataException($"'{input.Path}': weight_names of '{where}/{saved.Layer}' lists '{saved.Names[j]}', which does not exist.");
            values[j] = input.ReadTensor(dataset, keys[j]);
        }
        values = CudnnRecurrentWeights.ToKeras(layer, values, $"'{input.Path}': '{where}/{saved.Layer}'");
        for (int j = 0; j < keys.Length; j++) into.Match(keys[j], layer.Weights[j], values[j]);
    }

    /// <summary>The <c>/optimizer_weights</c> group of <paramref name="state"/> (tf.keras OptimizerV2 names).</summary>
    public static H5Group OptimizerGroup(IReadOnlyList<(string Name, Tensor Value)> state)
    {
        var group = new H5Group { Attributes = new() { ["weight_names"] = H5Output.StringList([.. state.Select(s => s.Name)]) } };
        foreach (var (name, value) in state) H5Output.Put(group, name, H5Output.Dataset(value, snapshot: true));
        return group;
    }

    /// <summary>Reads <c>/optimizer_weights</c> in its <c>weight_names</c> order.</summary>
    /// <returns>The values with their keys, and whether they are in Keras 3's order (Keras 3's legacy writer: <c>adam/iteration</c>).</returns>
    public static (List<SavedValue> Values, bool Keras3) ReadOptimizer(H5Input input, IH5Group group, string where)
    {
        var names = input.StringListAttribute(group, "weight_names", where) ?? [];
        var values = new List<SavedValue>();
        foreach (string name in names)
        {
            string key = $"{where}/{name}";
            var dataset = input.Dataset(group, name) ?? throw new InvalidDataException($"'{input.Path}': weight_names of '{where}' lists '{name}', which does not exist.");
            values.Add(input.Value(dataset, key));
        }
        bool keras3 = names.Count > 0 && !names[0].EndsWith(":0", StringComparison.Ordinal);
        return (values, keras3);
    }
}
