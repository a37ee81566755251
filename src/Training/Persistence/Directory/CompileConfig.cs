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
/// <c>Precision</c>, <c>Recall</c>. Configs are the objects' own <c>GetConfig()</c>.</para>
/// <para>Only these built-in classes are written and re-created; a custom optimizer, loss or metric makes
/// <see cref="Model.Save"/> fail before anything is written (a file never names code to run).</para>
/// </remarks>
internal static class CompileConfig
{
    /// <summary>The compile configuration of <paramref name="model"/>, or null when it is not compiled.</summary>
    /// <exception cref="NotSupportedException">The optimizer, loss or a metric is not a built-in class.</exception>
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
        var loss = Create(path, "compile_config.loss", () => LossFrom(ClassName(lossJson, path, "compile_config.loss"), Config(lossJson)));
        var metrics = new List<Metric>();
        if (JsonFile.Optional(compileConfig, "metrics") is { } list)
        {
            if (list.ValueKind != JsonValueKind.Array) throw LoadError.At(path, "compile_config.metrics", $"\"metrics\" must be an array; found {list.ValueKind}.");
            int i = 0;
            foreach (var entry in list.EnumerateArray())
            {
                string where = $"compile_config.metrics[{i++}]";
                metrics.Add(Create(path, where, () => MetricFrom(ClassName(entry, path, where), Config(entry))));
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

    private static string OptimizerClassName(Optimizer optimizer) => optimizer switch
    {
        AdamW => "AdamW",
        Adam => "Adam",
        Sgd => "SGD",
        RmsProp => "RMSprop",
        Adadelta or Adagrad or Adamax or Nadam => optimizer.GetType().Name,
        _ => throw Unsupported("optimizer", optimizer.GetType()),
    };

    private static string LossClassName(Loss loss) => loss switch
    {
        SparseCategoricalCrossentropy or CategoricalCrossentropy or BinaryCrossentropy or MeanSquaredError or MeanAbsoluteError or Huber => loss.GetType().Name,
        _ => throw Unsupported("loss", loss.GetType()),
    };

    private static Dictionary<string, object?> MetricEnvelope(Metric metric) => metric switch
    {
        Accuracy a => Envelope(a.Kind switch
        {
            AccuracyKind.Sparse => "SparseCategoricalAccuracy",
            AccuracyKind.Categorical => "CategoricalAccuracy",
            AccuracyKind.Binary => "BinaryAccuracy",
            _ => "Accuracy",
        }, new() { ["name"] = a.Name, ["threshold"] = a.Threshold }),
        Precision or Recall => Envelope(metric.GetType().Name, new() { ["name"] = metric.Name, ["thresholds"] = ((ConfusionMetric)metric).Threshold }),
        _ => throw Unsupported("metric", metric.GetType()),
    };

    private static Loss LossFrom(string className, Dictionary<string, object?> c) => className switch
    {
        nameof(SparseCategoricalCrossentropy) => new SparseCategoricalCrossentropy(ConfigReader.GetBool(c, "from_logits", false)),
        nameof(CategoricalCrossentropy) => new CategoricalCrossentropy(ConfigReader.GetBool(c, "from_logits", false), ConfigReader.GetDouble(c, "label_smoothing", 0)),
        nameof(BinaryCrossentropy) => new BinaryCrossentropy(ConfigReader.GetBool(c, "from_logits", false)),
        nameof(MeanSquaredError) => new MeanSquaredError(),
        nameof(MeanAbsoluteError) => new MeanAbsoluteError(),
        nameof(Huber) => new Huber(ConfigReader.GetDouble(c, "delta", 1.0)),
        _ => throw new ArgumentException($"unknown loss class '{className}'; known: SparseCategoricalCrossentropy, CategoricalCrossentropy, BinaryCrossentropy, MeanSquaredError, MeanAbsoluteError, Huber"),
    };

    private static Metric MetricFrom(string className, Dictionary<string, object?> c)
    {
        string? name = ConfigReader.GetString(c, "name", null);
        double threshold = ConfigReader.GetDouble(c, className is "Precision" or "Recall" ? "thresholds" : "threshold", 0.5);
        return className switch
        {
            "SparseCategoricalAccuracy" => new Accuracy(AccuracyKind.Sparse, name ?? "sparse_categorical_accuracy", threshold),
            "CategoricalAccuracy" => new Accuracy(AccuracyKind.Categorical, name ?? "categorical_accuracy", threshold),
            "BinaryAccuracy" => new Accuracy(AccuracyKind.Binary, name ?? "binary_accuracy", threshold),
            "Accuracy" => new Accuracy(AccuracyKind.Auto, name ?? "accuracy", threshold),
            "Precision" => new Precision(threshold, name ?? "precision"),
            "Recall" => new Recall(threshold, name ?? "recall"),
            _ => throw new ArgumentException($"unknown metric class '{className}'; known: Accuracy, SparseCategoricalAccuracy, CategoricalAccuracy, BinaryAccuracy, Precision, Recall"),
        };
    }

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

    private static NotSupportedException Unsupported(string what, Type type) =>
        new($"Model.Save: the {what} is a {type.FullName}, which full-model saving cannot re-create (only the built-in classes are). Save the weights with SaveWeights and rebuild the model in code instead.");
}
