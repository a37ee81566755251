using System.Text.Json;
using Framework.Layers;
using Framework.Tensors;

namespace Framework.Training.Saving;

/// <summary>config.json: a model's architecture, input shape and compile configuration, in Keras 3's <c>.keras</c> schema.</summary>
/// <remarks>
/// <para>The shape (keys as Keras names them):</para>
/// <code>
/// {
///   "module": "framework",
///   "class_name": "Sequential",
///   "config": { "name": "sequential", "trainable": true,
///               "layers": [ { "class_name": "Dense", "config": { "name": "dense", "units": 4, ... } }, ... ] },
///   "build_config": { "input_shape": [null, 784] },
///   "compile_config": { "optimizer": { "class_name": "Adam", "config": {...} },
///                       "loss": { "class_name": "SparseCategoricalCrossentropy", "config": {...} },
///                       "metrics": [ { "class_name": "SparseCategoricalAccuracy", "config": {...} } ] }
/// }
/// </code>
/// <para><c>build_config</c> is absent for an unbuilt model and <c>compile_config</c> for an uncompiled one. A subclassed
/// model is written as <c>{"class_name": its registered name, "config": its GetConfig()}</c> and re-created through
/// <see cref="LayerRegistry"/>; every layer class likewise. Loading creates only registered classes: a name in the file
/// is looked up, never passed to <see cref="Type.GetType(string)"/>.</para>
/// </remarks>
internal static class ModelConfigJson
{
    /// <summary>The config.json tree of <paramref name="model"/>.</summary>
    /// <exception cref="InvalidOperationException">A layer or the model's class is not registered (the message says how to register it).</exception>
    /// <exception cref="NotSupportedException">The optimizer, loss or a metric is not a built-in class.</exception>
    public static Dictionary<string, object?> From(Model model)
    {
        var tree = new Dictionary<string, object?>
        {
            ["module"] = SavedModelFormat.Module,
            ["class_name"] = model is Sequential ? SavedModelFormat.SequentialClassName : LayerRegistry.GetClassName(model),
            ["config"] = model is Sequential sequential ? SequentialConfig(sequential) : model.GetConfig(),
        };
        if (model.IsBuilt && model.BuildShape is { } shape)
            tree["build_config"] = new Dictionary<string, object?> { ["input_shape"] = new int?[] { null }.Concat(shape.ToArray().Skip(1).Select(d => (int?)d)).ToArray() };
        if (CompileConfig.From(model) is { } compile) tree["compile_config"] = compile;
        return tree;
    }

    /// <summary>Re-creates the model config.json at <paramref name="path"/> describes: built when it was, compiled when it was.</summary>
    /// <param name="path">The config.json file.</param>
    /// <param name="checkpoint">The checkpoint the model will be restored from: each weight is checked against it before it is
    /// allocated, and no initializer runs. Null builds with the usual initializers.</param>
    /// <exception cref="InvalidDataException">The file is malformed, exceeds <see cref="SavedModelLimits"/>, or holds values the model
    /// cannot be created or built from; the message names the file and the JSON path.</exception>
    /// <exception cref="InvalidOperationException">A class name is not registered; the message lists the registered names.</exception>
    /// <exception cref="Framework.Serialization.CheckpointMismatchException">A weight does not fit <paramref name="checkpoint"/>.</exception>
    public static Model Read(string path, CheckpointShapes? checkpoint = null) =>
        Read(JsonFile.ReadObject(path, SavedModelLimits.MaxConfigBytes), path, checkpoint);

    /// <summary>Re-creates the model that the config.json tree <paramref name="root"/> describes (read from <paramref name="path"/>, named in messages).</summary>
    /// <param name="root">The parsed config.json tree.</param>
    /// <param name="path">The file it came from, for messages.</param>
    /// <param name="checkpoint">As for <see cref="Read(string, CheckpointShapes?)"/>.</param>
    /// <exception cref="InvalidDataException">The tree is malformed or holds invalid values; the message names the file and the JSON path.</exception>
    /// <exception cref="InvalidOperationException">A class name is not registered; the message lists the registered names.</exception>
    /// <exception cref="Framework.Serialization.CheckpointMismatchException">A weight does not fit <paramref name="checkpoint"/>.</exception>
    public static Model Read(JsonElement root, string path, CheckpointShapes? checkpoint = null)
    {
        string className = JsonFile.Required(root, "class_name", JsonValueKind.String, path, "").GetString()!;
        var config = JsonFile.Required(root, "config", JsonValueKind.Object, path, "");
        List<int> configIndex = [];
        Shape? declared = null;
        var model = className == SavedModelFormat.SequentialClassName ? ReadSequential(config, path, configIndex, out declared) : ReadSubclassed(className, config, path);
        Shape? shape = JsonFile.Optional(root, "build_config", JsonValueKind.Object, path, "") is { } build
            ? InputShape(JsonFile.Required(build, "input_shape", JsonValueKind.Array, path, "build_config"), path)
            : declared is { } input ? Bounded([1, .. input.Dims], path, "config.layers[0].config.batch_shape") : null;
        if (shape is { } built)
        {
            using (checkpoint?.Use(model, configIndex)) ModelBuild.Build(model, built, path, configIndex);
        }
        if (JsonFile.Optional(root, "compile_config", JsonValueKind.Object, path, "") is { } compile) CompileConfig.Apply(model, compile, path);
        return model;
    }

    private static Dictionary<string, object?> SequentialConfig(Sequential model) => new()
    {
        ["name"] = model.Name,
        ["trainable"] = model.Trainable,
        ["layers"] = model.Layers.Select(l => new Dictionary<string, object?> { ["class_name"] = LayerRegistry.GetClassName(l), ["config"] = l.GetConfig() }).ToList(),
    };

    private static Sequential ReadSequential(JsonElement config, string path, List<int> configIndex, out Shape? declared)
    {
        declared = null;
        var entries = JsonFile.Required(config, "layers", JsonValueKind.Array, path, "config");
        int count = entries.GetArrayLength();
        if (count > SavedModelLimits.MaxLayers)
            throw LoadError.At(path, "config.layers", $"{count:N0} layers; at most {SavedModelLimits.MaxLayers:N0} are accepted (SavedModelLimits).");
        var layers = new List<Layer>(count);
        int i = 0;
        foreach (var entry in entries.EnumerateArray())
        {
            string where = $"config.layers[{i}]";
            if (entry.ValueKind != JsonValueKind.Object) throw LoadError.At(path, where, $"a layer must be an object with \"class_name\" and \"config\"; found {entry.ValueKind}.");
            string className = JsonFile.Required(entry, "class_name", JsonValueKind.String, path, where).GetString()!;
            var layer = LayerFactory.Create(className, JsonFile.Required(entry, "config", JsonValueKind.Object, path, where), path, where);
            // A leading InputLayer only declares the input shape. It is kept out of the constructor, which would build the
            // model at once, before the input size is bounded and the weights are checked against the checkpoint.
            if (i == 0 && layer is InputLayer input) declared = input.InputShape;
            else
            {
                configIndex.Add(i);
                layers.Add(layer);
            }
            i++;
        }
        string? name = JsonFile.Optional(config, "name", JsonValueKind.String, path, "config")?.GetString();
        bool trainable = JsonFile.Optional(config, "trainable") is not { } flag || flag.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw LoadError.At(path, "config.trainable", $"\"trainable\" must be true or false; found {flag.ValueKind}."),
        };
        Sequential model;
        try
        {
            model = new Sequential(layers, name: name);
        }
        catch (ArgumentException e)
        {
            throw LoadError.At(path, "config", $"the layers cannot form a Sequential model: {e.Message}", e);
        }
        if (!trainable) model.Trainable = false;
        return model;
    }

    private static Model ReadSubclassed(string className, JsonElement config, string path) =>
        LayerFactory.Create(className, config, path, "config") as Model
        ?? throw LoadError.At(path, "class_name", $"class '{className}' is registered as a layer, not a Model; a saved model's root must be Sequential or a registered Model subclass.");

    private static Shape InputShape(JsonElement dims, string path)
    {
        const string Where = "build_config.input_shape";
        int rank = dims.GetArrayLength();
        if (rank is 0 or > SavedModelLimits.MaxInputRank)
            throw LoadError.At(path, Where, $"{rank} dimensions; an input shape has 1 to {SavedModelLimits.MaxInputRank} (the batch dimension first).");
        var shape = new int[rank];
        int i = 0;
        foreach (var d in dims.EnumerateArray())
        {
            // The batch dimension is written as null (any size); one sample is enough to create the weights.
            if (i == 0 && (d.ValueKind == JsonValueKind.Null || (d.ValueKind == JsonValueKind.Number && d.TryGetInt32(out int batch) && batch > 0))) shape[i] = 1;
            else if (i > 0 && d.ValueKind == JsonValueKind.Number && d.TryGetInt32(out int n) && n > 0) shape[i] = n;
            else throw LoadError.At(path, $"{Where}[{i}]", $"expected {(i == 0 ? "null or a positive integer (the batch dimension)" : "a positive integer")}; found {d.GetRawText()}. An input shape is [null, positive integers...].");
            i++;
        }
        return Bounded(shape, path, Where);
    }

    // The build runs one sample of zeros through the model: its size is what a file could otherwise inflate.
    // Checked on the plain dimensions: a Shape of more than int.MaxValue elements cannot even be constructed.
    private static Shape Bounded(int[] dims, string path, string where)
    {
        long sample = 1;
        foreach (int d in dims.AsSpan(1))
        {
            // Stops at the first excess: 2^24 × int.MaxValue cannot overflow.
            sample *= d;
            if (sample > SavedModelLimits.MaxInputElements) break;
        }
        if (dims.Length > SavedModelLimits.MaxInputRank || sample > SavedModelLimits.MaxInputElements)
            throw LoadError.At(path, where, $"an input of shape {Shape.Format(dims.AsSpan(1))} (batch left out); at most {SavedModelLimits.MaxInputRank} dimensions and {SavedModelLimits.MaxInputElements:N0} elements per sample are accepted (SavedModelLimits).");
        return new Shape(dims);
    }
}
