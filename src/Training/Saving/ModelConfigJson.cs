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
    /// <exception cref="InvalidDataException">The file is malformed or holds invalid values; the message names the file and the entry.</exception>
    /// <exception cref="InvalidOperationException">A class name is not registered; the message lists the registered names.</exception>
    public static Model Read(string path) => Read(JsonFile.ReadObject(path), path);

    /// <summary>Re-creates the model that the config.json tree <paramref name="root"/> describes (read from <paramref name="path"/>, named in messages).</summary>
    /// <exception cref="InvalidDataException">The tree is malformed or holds invalid values; the message names the file and the entry.</exception>
    /// <exception cref="InvalidOperationException">A class name is not registered; the message lists the registered names.</exception>
    public static Model Read(JsonElement root, string path)
    {
        string className = JsonFile.Required(root, "class_name", JsonValueKind.String, path, "the root object").GetString()!;
        var config = JsonFile.Required(root, "config", JsonValueKind.Object, path, "the root object");
        var model = className == SavedModelFormat.SequentialClassName ? ReadSequential(config, path) : ReadSubclassed(className, config, path);
        if (JsonFile.Optional(root, "build_config") is { } build)
            model.EnsureBuilt(InputShape(JsonFile.Required(build, "input_shape", JsonValueKind.Array, path, "build_config"), path));
        if (JsonFile.Optional(root, "compile_config") is { } compile) CompileConfig.Apply(model, compile, path);
        return model;
    }

    private static Dictionary<string, object?> SequentialConfig(Sequential model) => new()
    {
        ["name"] = model.Name,
        ["trainable"] = model.Trainable,
        ["layers"] = model.Layers.Select(l => new Dictionary<string, object?> { ["class_name"] = LayerRegistry.GetClassName(l), ["config"] = l.GetConfig() }).ToList(),
    };

    private static Sequential ReadSequential(JsonElement config, string path)
    {
        var layers = new List<Layer>();
        int i = 0;
        foreach (var entry in JsonFile.Required(config, "layers", JsonValueKind.Array, path, "config").EnumerateArray())
        {
            string where = $"config.layers[{i++}]";
            string className = JsonFile.Required(entry, "class_name", JsonValueKind.String, path, where).GetString()!;
            layers.Add(CreateLayer(className, JsonFile.Required(entry, "config", JsonValueKind.Object, path, where), path, where));
        }
        string? name = JsonFile.Optional(config, "name")?.GetString();
        var model = new Sequential(layers, name: name);
        if (JsonFile.Optional(config, "trainable") is { ValueKind: JsonValueKind.False }) model.Trainable = false;
        return model;
    }

    private static Model ReadSubclassed(string className, JsonElement config, string path) =>
        CreateLayer(className, config, path, "the root object") as Model
        ?? throw new InvalidDataException($"Model.Load: '{path}': class '{className}' is registered as a layer, not a Model; a saved model's root must be Sequential or a registered Model subclass.");

    private static Layer CreateLayer(string className, JsonElement config, string path, string where)
    {
        if (!LayerRegistry.IsRegistered(className))
            throw new InvalidOperationException($"Model.Load: '{path}': {where} has class_name '{className}', which is not registered. Registered classes: {string.Join(", ", LayerRegistry.RegisteredNames)}. " +
                $"Register a custom layer or model with LayerRegistry.Register<T>(\"{className}\", config => ...) before Model.Load.");
        try
        {
            return LayerRegistry.Create(className, JsonFile.ToConfig(config));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or InvalidCastException or OverflowException)
        {
            throw new InvalidDataException($"Model.Load: '{path}': {where} ('{className}') cannot be re-created from its config: {e.Message}", e);
        }
    }

    private static Shape InputShape(JsonElement dims, string path)
    {
        var shape = new List<int>();
        foreach (var d in dims.EnumerateArray())
        {
            // The batch dimension is written as null (any size); one sample is enough to create the weights.
            if (d.ValueKind == JsonValueKind.Null && shape.Count == 0) shape.Add(1);
            else if (d.ValueKind == JsonValueKind.Number && d.TryGetInt32(out int n) && n > 0) shape.Add(n);
            else throw new InvalidDataException($"Model.Load: '{path}': build_config.input_shape must be [null, positive integers...]; found {dims.GetRawText()}.");
        }
        return shape.Count > 0 ? new Shape([.. shape]) : throw new InvalidDataException($"Model.Load: '{path}': build_config.input_shape is empty.");
    }
}
