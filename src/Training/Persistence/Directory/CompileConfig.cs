using System.Text.Json;
using Framework.Layers;
using Framework.Optimizers;

namespace Framework.Training.Saving;

/// <summary>The <c>compile_config</c> of config.json: the optimizer, loss and metrics, each in Keras's <c>{"class_name", "config"}</c> envelope.</summary>
/// <remarks>
/// <para>Class names are Keras's: optimizers <c>Adam</c>, <c>AdamW</c>, <c>SGD</c>, <c>RMSprop</c>; losses by class
/// (<c>SparseCategoricalCrossentropy</c>…); metrics <c>SparseCategoricalAccuracy</c>, <c>CategoricalAccuracy</c>,
/// <c>BinaryAccuracy</c> (an <see cref="Accuracy"/> whose kind is resolved), <c>Accuracy</c> (one still on
/// <see cref="AccuracyKind.Auto"/>: here it keeps choosing from the first batch, unlike Keras's exact-match class),
/// <c>Precision</c>, <c>Recall</c>. Configs are the objects' own <c>GetConfig()</c> (Keras's keys for the built-in metrics).</para>
/// <para>Classes are named and re-created through <see cref="OptimizerRegistry"/>, <see cref="LossRegistry"/> and
/// <see cref="MetricRegistry"/>, where the built-ins and any custom class registered by code are; an unregistered optimizer,
/// loss or metric makes <see cref="Model.Save"/> fail before anything is written (a file never names code to run).</para>
/// </remarks>
internal static class CompileConfig
{
    /// <summary>The compile configuration of <paramref name="model"/>, or null when it is not compiled.</summary>
    /// <exception cref="NotSupportedException">The optimizer, loss or a metric is of a class that is not registered.</exception>
    public static Dictionary<string, object?>? From(Model model)
    {
        if (model.Optimizer is not { } optimizer || model.Loss is not { } loss) return null;
        return new()
        {
            ["optimizer"] = Envelope(OptimizerClassName(optimizer), optimizer.GetConfig()),
            ["loss"] = Envelope(LossClassName(loss), loss.GetConfig()),
            ["metrics"] = model.Metrics.Select(MetricEnvelope).ToList(),
        };
    }

    /// <summary>Compiles <paramref name="model"/> as <paramref name="compileConfig"/> describes.</summary>
    /// <exception cref="InvalidDataException">A class is unknown or a value is invalid; the message names the file and the entry.</exception>
    public static void Apply(Model model, JsonElement compileConfig, string path)
    {
        var optimizerJson = JsonFile.Required(compileConfig, "optimizer", JsonValueKind.Object, path, "compile_config");
        var lossJson = JsonFile.Required(compileConfig, "loss", JsonValueKind.Object, path, "compile_config");
        var optimizer = Create(path, "compile_config.optimizer", () => OptimizerFactory.FromConfig(JsonFile.ToConfig(optimizerJson)));
        var loss = Create(path, "compile_config.loss", () => LossRegistry.Create(ClassName(lossJson, path, "compile_config.loss"), Config(lossJson)));
        var metrics = new List<Metric>();
        if (JsonFile.Optional(compileConfig, "metrics") is { } list)
        {
            if (list.ValueKind != JsonValueKind.Array) throw LoadError.At(path, "compile_config.metrics", $"\"metrics\" must be an array; found {list.ValueKind}.");
            int i = 0;
            foreach (var entry in list.EnumerateArray())
            {
                string where = $"compile_config.metrics[{i++}]";
                metrics.Add(Create(path, where, () => MetricRegistry.Create(ClassName(entry, path, where), Config(entry))));
            }
        }
        Create(path, "compile_config.metrics", () =>
        {
            model.Compile(optimizer, loss, metrics);
            return model;
        });
    }

    private static Dictionary<string, object?> Envelope(string className, Dictionary<string, object?> config) =>
        new() { ["class_name"] = className, ["config"] = config };

    private static string OptimizerClassName(Optimizer optimizer) =>
        OptimizerRegistry.TryGetClassName(optimizer, out string name) ? name : throw Unsupported("optimizer", optimizer.GetType(), nameof(OptimizerRegistry));

    private static string LossClassName(Loss loss) =>
        LossRegistry.TryGetClassName(loss, out string name) ? name : throw Unsupported("loss", loss.GetType(), nameof(LossRegistry));

    private static Dictionary<string, object?> MetricEnvelope(Metric metric) =>
        Envelope(MetricRegistry.TryGetClassName(metric, out string name) ? name : throw Unsupported("metric", metric.GetType(), nameof(MetricRegistry)), metric switch
        {
            // Keras's own config keys for the built-in classes (its accuracies' threshold, its confusion metrics' thresholds).
            Accuracy a => new() { ["name"] = a.Name, ["threshold"] = a.Threshold },
            Precision or Recall => new() { ["name"] = metric.Name, ["thresholds"] = ((ConfusionMetric)metric).Threshold },
            _ => metric.GetConfig(),
        });

    private static string ClassName(JsonElement envelope, string path, string where) =>
        JsonFile.Required(envelope, "class_name", JsonValueKind.String, path, where).GetString()!;

    private static Dictionary<string, object?> Config(JsonElement envelope) =>
        JsonFile.Optional(envelope, "config") is { ValueKind: JsonValueKind.Object } c ? JsonFile.ToConfig(c) : [];

    private static T Create<T>(string path, string where, Func<T> create)
    {
        try
        {
            return create();
        }
        catch (Exception e) when (LayerFactory.IsRefusal(e))
        {
            string at = e.Data[ConfigReader.KeyDataName] is string key ? $"{where}.config.{key}" : where;
            throw LoadError.At(path, at, $"cannot be re-created: {e.Message}", e);
        }
    }

    private static NotSupportedException Unsupported(string what, Type type, string registry) =>
        new($"Model.Save: the {what} is a {type.FullName}, which is not registered, so loading could not re-create it. Register it with {registry}.Register<{type.Name}>(\"{type.Name}\", config => ...), or save the weights with SaveWeights and rebuild the model in code.");
}
