using System.Globalization;
using Framework.Layers;
using Framework.Tensors;
using PureHDF;

namespace Framework.Training.Persistence;

/// <summary>Keras 3's weights layout (<c>model.weights.h5</c>, also inside a <c>.keras</c> archive): one <c>vars</c> group per object.</summary>
/// <remarks>
/// <code>
/// /layers/dense/vars/0, 1         a layer's variables in its own order (Dense: kernel, bias); attribute name = "dense"
/// /layers/dropout/vars            weightless layers get an empty group
/// /layers/lstm/vars               empty: an RNN layer's variables belong to its cell…
/// /layers/lstm/cell/vars/0, 1, 2  …filed under the attribute that holds it (kernel, recurrent_kernel, bias)
/// /optimizer/vars/0, 1, 2…        iteration counter (int64 scalar), learning rate (float32 scalar), slots (Keras 3 order)
/// /vars                           the model's own variables (none); attribute name = the model's name
/// </code>
/// Layer path components are Keras's per-class counters (<see cref="KerasNaming.Keras3LayerPaths"/>), not the layers' names.
/// Loading matches by path and position, as Keras does; shapes and counts must agree.
/// </remarks>
internal static class Keras3WeightsLayout
{
    private const string Vars = "vars";
    private const string NameAttribute = "name";

    /// <summary>The file of <paramref name="model"/>'s weights and, when compiled, its optimizer state.</summary>
    /// <param name="model">A built model.</param>
    /// <param name="snapshot">Whether the file holds copies of the values (see <see cref="H5Output.Dataset"/>).</param>
    public static H5File Build(Model model, bool snapshot)
    {
        var file = new H5File();
        var layers = KerasNaming.Layers(model);
        var paths = KerasNaming.Keras3LayerPaths(layers);
        var layerGroups = new H5Group();
        for (int i = 0; i < layers.Count; i++) layerGroups[paths[i]] = ObjectGroup(layers[i], snapshot);
        file["layers"] = layerGroups;
        if (model.Optimizer is { } optimizer)
        {
            string name = optimizer.GetConfig().TryGetValue("name", out var n) && n is string s ? s.ToLowerInvariant() : "optimizer";
            file["optimizer"] = new H5Group { [Vars] = VarsGroup(name, KerasOptimizerState.Keras3(optimizer, model.TrainableWeights), snapshot) };
        }
        file[Vars] = VarsGroup(model.Name, [], snapshot);
        return file;
    }

    /// <summary>Pairs every value of the file with <paramref name="model"/>'s variables (its optimizer's too when compiled).</summary>
    /// <exception cref="InvalidDataException">The file is corrupt or not in this layout; the message names the file and the dataset.</exception>
    public static void Read(H5Input input, Model model, WeightAssignments into)
    {
        var layers = KerasNaming.Layers(model);
        var paths = KerasNaming.Keras3LayerPaths(layers);
        var layerGroups = input.Group(input.Root, "layers");
        if (layerGroups is null && layers.Any(l => l.Weights.Count > 0))
            throw new InvalidDataException($"'{input.Path}' has no 'layers' group: it is not a Keras 3 weights file (.weights.h5 layout).");
        for (int i = 0; i < layers.Count; i++)
            ReadObject(input, layerGroups is null ? null : input.Group(layerGroups, paths[i]), $"layers/{paths[i]}", layers[i], into);
        if (layerGroups is not null)
        {
            foreach (string extra in input.Members(layerGroups, "layers").Except(paths, StringComparer.Ordinal))
                if (input.Group(layerGroups, $"{extra}/{Vars}") is { } vars) ReportExtra(input, vars, $"layers/{extra}/{Vars}", 0, into);
        }
        if (input.Group(input.Root, $"optimizer/{Vars}") is { } optimizerVars)
            KerasOptimizerState.Match(into, model, NumberedValues(input, optimizerVars, $"optimizer/{Vars}"), keras3: true);
    }

    /// <summary>A layer's group: its own variables under <c>vars</c>, each child layer's group under the child's attribute name
    /// (an LSTM: <c>lstm/vars</c> empty, <c>lstm/cell/vars/0..2</c>), as saving_lib's <c>_save_state</c> walks them.</summary>
    private static H5Group ObjectGroup(Layer layer, bool snapshot)
    {
        var group = new H5Group { [Vars] = VarsGroup(layer.Name, KerasNaming.OwnWeights(layer).Select(w => w.Value), snapshot) };
        foreach (var (name, child) in KerasNaming.ChildLayers(layer)) group[name] = ObjectGroup(child, snapshot);
        return group;
    }

    private static void ReadObject(H5Input input, IH5Group? group, string where, Layer layer, WeightAssignments into)
    {
        var vars = group is null ? null : input.Group(group, Vars);
        var weights = KerasNaming.OwnWeights(layer);
        for (int j = 0; j < weights.Count; j++)
        {
            string key = $"{where}/{Vars}/{j}";
            var dataset = vars is null ? null : input.Dataset(vars, j.ToString(CultureInfo.InvariantCulture));
            if (dataset is null) into.Missing(key, weights[j]);
            else into.Match(weights[j], input.Value(dataset, key));
        }
        if (vars is not null) ReportExtra(input, vars, $"{where}/{Vars}", weights.Count, into);
        foreach (var (name, child) in KerasNaming.ChildLayers(layer))
            ReadObject(input, group is null ? null : input.Group(group, name), $"{where}/{name}", child, into);
    }

    private static H5Group VarsGroup(string name, IEnumerable<Tensor> values, bool snapshot)
    {
        var group = new H5Group { Attributes = new() { [NameAttribute] = name } };
        int i = 0;
        foreach (var value in values) group[(i++).ToString(CultureInfo.InvariantCulture)] = H5Output.Dataset(value, snapshot);
        return group;
    }

    /// <summary>The datasets <c>0</c>, <c>1</c>… of a <c>vars</c> group in numeric order (HDF5 lists them by name: 0, 1, 10, 11, 2…).</summary>
    private static List<SavedValue> NumberedValues(H5Input input, IH5Group vars, string where)
    {
        var result = new List<SavedValue>();
        int count = Numbered(input, vars, where).Count;
        for (int i = 0; i < count; i++)
        {
            string key = $"{where}/{i}";
            var dataset = input.Dataset(vars, i.ToString(CultureInfo.InvariantCulture))
                ?? throw new InvalidDataException($"'{input.Path}': '{where}' has {count} datasets but no '{i}': they must be numbered 0 to {count - 1}.");
            result.Add(input.Value(dataset, key));
        }
        return result;
    }

    private static List<int> Numbered(H5Input input, IH5Group vars, string where)
    {
        var numbers = new List<int>();
        foreach (string name in input.Members(vars, where))
        {
            if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int n))
                throw new InvalidDataException($"'{input.Path}': '{where}/{name}' is not a numbered variable; Keras 3 names them 0, 1, 2….");
            numbers.Add(n);
        }
        return numbers;
    }

    private static void ReportExtra(H5Input input, IH5Group vars, string where, int expected, WeightAssignments into)
    {
        foreach (int n in Numbered(input, vars, where).Where(n => n >= expected))
        {
            string key = $"{where}/{n}";
            var (shape, dtype) = input.Describe(input.Dataset(vars, n.ToString(CultureInfo.InvariantCulture))!, key);
            into.Unexpected(key, shape, dtype);
        }
    }
}
