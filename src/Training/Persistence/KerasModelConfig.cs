using System.Text.Json;
using System.Text.Json.Nodes;

namespace Framework.Training.Persistence;

/// <summary>Translates between the configuration documents Keras writes (Keras 2 <c>model_config</c> + <c>training_config</c>,
/// Keras 3 <c>config.json</c>) and the <c>config.json</c> tree this framework reads and writes (<c>Saving/ModelConfigJson</c>).</summary>
/// <remarks>
/// <para>Reading accepts: a Keras ≤ 2.1 Sequential whose <c>config</c> is the list of layers; the input size as a leading
/// <c>InputLayer</c> (<c>batch_shape</c> or <c>batch_input_shape</c>), as <c>batch_input_shape</c> inside the first layer's config,
/// or as <c>build_input_shape</c>/<c>build_config</c>; losses and metrics given as Keras strings (<c>"mse"</c>, <c>"accuracy"</c>)
/// or serialized objects, Keras 2's nested metric lists and <c>MeanMetricWrapper</c>s, and Keras 2's optimizer key <c>lr</c>.
/// Keys Keras adds that carry nothing here (<c>module</c>, <c>registered_name</c>, <c>dtype</c> policies, <c>shared_object_id</c>)
/// are ignored. Class names still go through the registries: nothing here creates an object.</para>
/// <para>Writing adds Keras 3's <c>module</c> and <c>registered_name</c> keys, so Keras's deserializer finds its built-in classes.</para>
/// </remarks>
internal static class KerasModelConfig
{
    private static readonly Dictionary<string, string> s_losses = new(StringComparer.Ordinal)
    {
        ["mse"] = "MeanSquaredError", ["mean_squared_error"] = "MeanSquaredError",
        ["mae"] = "MeanAbsoluteError", ["mean_absolute_error"] = "MeanAbsoluteError",
        ["binary_crossentropy"] = "BinaryCrossentropy", ["categorical_crossentropy"] = "CategoricalCrossentropy",
        ["sparse_categorical_crossentropy"] = "SparseCategoricalCrossentropy", ["huber"] = "Huber", ["huber_loss"] = "Huber",
    };

    private static readonly Dictionary<string, string> s_metrics = new(StringComparer.Ordinal)
    {
        ["accuracy"] = "Accuracy", ["acc"] = "Accuracy",
        ["categorical_accuracy"] = "CategoricalAccuracy", ["sparse_categorical_accuracy"] = "SparseCategoricalAccuracy",
        ["binary_accuracy"] = "BinaryAccuracy", ["precision"] = "Precision", ["recall"] = "Recall",
    };

    /// <summary>The framework tree for a Keras model config (<paramref name="model"/>) and its compile or training config.</summary>
    /// <param name="model">Keras's <c>{"class_name", "config"}</c> of the model (with <c>build_config</c>/<c>compile_config</c> for Keras 3).</param>
    /// <param name="training">Keras 2's <c>training_config</c> (or null): <c>optimizer_config</c>, <c>loss</c>, <c>metrics</c>.</param>
    /// <param name="path">The file, for messages.</param>
    /// <exception cref="InvalidDataException">The document does not have Keras's structure.</exception>
    public static JsonElement ToFramework(JsonNode model, JsonNode? training, string path)
    {
        if (model is not JsonObject root) throw Invalid(path, "the model config must be a JSON object");
        var result = new JsonObject { ["class_name"] = root["class_name"]?.DeepClone() };
        JsonObject config = root["config"] switch
        {
            JsonArray layers => new JsonObject { ["layers"] = layers.DeepClone() },   // Keras <= 2.1
            JsonObject c => (JsonObject)c.DeepClone(),
            _ => throw Invalid(path, "the model config has no \"config\" object"),
        };
        result["config"] = config;
        if (InputShape(root, config) is { } shape) result["build_config"] = new JsonObject { ["input_shape"] = shape };
        var compile = root["compile_config"] as JsonObject ?? Keras2Compile(training as JsonObject);
        if (compile is not null) result["compile_config"] = Compile(compile, path);
        return JsonSerializer.SerializeToElement(result);
    }

    /// <summary>The Keras 3 <c>config.json</c> for a framework tree: <c>module</c> and <c>registered_name</c> added to every object.</summary>
    public static JsonNode ToKeras(JsonNode framework)
    {
        var root = (JsonObject)framework.DeepClone();
        root["module"] = "keras";
        root["registered_name"] = null;
        if (root["config"]?["layers"] is JsonArray layers)
            foreach (var layer in layers.OfType<JsonObject>()) AddModule(layer, "keras.layers");
        if (root["compile_config"] is JsonObject compile)
        {
            if (compile["optimizer"] is JsonObject optimizer) AddModule(optimizer, "keras.optimizers");
            if (compile["loss"] is JsonObject loss) AddModule(loss, "keras.losses");
            if (compile["metrics"] is JsonArray metrics) foreach (var metric in metrics.OfType<JsonObject>()) AddModule(metric, "keras.metrics");
            compile["loss_weights"] = null;
            compile["weighted_metrics"] = null;
        }
        return root;
    }

    /// <summary>Keras 2's <c>training_config</c> for a framework tree's <c>compile_config</c>, or null when it has none.</summary>
    public static JsonNode? ToKeras2Training(JsonNode framework) => framework["compile_config"] is JsonObject compile
        ? new JsonObject
        {
            ["loss"] = compile["loss"]?.DeepClone(),
            ["metrics"] = compile["metrics"]?.DeepClone(),
            ["weighted_metrics"] = null,
            ["loss_weights"] = null,
            ["optimizer_config"] = compile["optimizer"]?.DeepClone(),
        }
        : null;

    private static void AddModule(JsonObject envelope, string module)
    {
        envelope["module"] = module;
        envelope["registered_name"] = null;
    }

    private static JsonObject? Keras2Compile(JsonObject? training) => training is null ? null : new JsonObject
    {
        ["optimizer"] = training["optimizer_config"]?.DeepClone(),
        ["loss"] = training["loss"]?.DeepClone(),
        ["metrics"] = training["metrics"]?.DeepClone(),
    };

    private static JsonNode? InputShape(JsonObject root, JsonObject config)
    {
        if (root["build_config"]?["input_shape"] is JsonArray built) return built.DeepClone();
        if (config["build_input_shape"] is JsonArray declared) return declared.DeepClone();
        if (config["layers"] is JsonArray { Count: > 0 } layers && layers[0]?["config"] is JsonObject first)
            return (first["batch_input_shape"] ?? first["batch_shape"])?.DeepClone();
        return null;
    }

    private static JsonObject Compile(JsonObject compile, string path)
    {
        var result = new JsonObject();
        if (compile["optimizer"] is JsonObject optimizer)
        {
            var copy = (JsonObject)optimizer.DeepClone();
            // Keras <= 2.2 named the learning rate "lr".
            if (copy["config"] is JsonObject c && c["lr"] is { } lr && c["learning_rate"] is null)
            {
                c.Remove("lr");
                c["learning_rate"] = lr.DeepClone();
            }
            result["optimizer"] = copy;
        }
        else if (compile["optimizer"] is JsonValue name) result["optimizer"] = new JsonObject { ["class_name"] = name.DeepClone() };
        else throw Invalid(path, "compile_config has no optimizer");
        result["loss"] = compile["loss"] switch
        {
            JsonValue name when name.TryGetValue(out string? s) => Envelope(s_losses.GetValueOrDefault(s, s), new JsonObject()),
            JsonObject loss => loss.DeepClone(),
            _ => throw Invalid(path, "compile_config's loss must be a name or a serialized loss (one loss per model)"),
        };
        var metrics = new JsonArray();
        foreach (var metric in Flatten(compile["metrics"])) metrics.Add(Metric(metric));
        result["metrics"] = metrics;
        return result;
    }

    private static IEnumerable<JsonNode> Flatten(JsonNode? node) => node switch
    {
        JsonArray list => list.SelectMany(Flatten),
        null => [],
        _ => [node],
    };

    private static JsonNode Metric(JsonNode metric)
    {
        if (metric is JsonValue value && value.TryGetValue(out string? name))
            return Envelope(s_metrics.GetValueOrDefault(name, name), new JsonObject { ["name"] = name == "acc" ? "accuracy" : name });
        // Keras 2's MeanMetricWrapper(fn="categorical_accuracy") is the function's metric.
        if (metric["class_name"]?.GetValue<string>() == "MeanMetricWrapper" && metric["config"]?["fn"] is JsonValue fn && fn.TryGetValue(out string? function))
            return Envelope(s_metrics.GetValueOrDefault(function, function), new JsonObject { ["name"] = metric["config"]?["name"]?.DeepClone() });
        return metric.DeepClone();
    }

    private static JsonObject Envelope(string className, JsonObject config) => new() { ["class_name"] = className, ["config"] = config };

    private static InvalidDataException Invalid(string path, string what) => new($"Model.Load: '{path}': {what}.");
}
