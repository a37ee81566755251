using Framework.Layers;

namespace Framework.Training;

/// <summary>Re-creates metrics from their class name (or a Keras alias such as <c>"precision"</c>) and configuration; the only
/// way <see cref="Metrics.Get"/> and loading a model make a metric.</summary>
/// <remarks>
/// <para>The built-in metrics are registered here the same way a custom one is: <c>Accuracy</c>,
/// <c>SparseCategoricalAccuracy</c>, <c>CategoricalAccuracy</c>, <c>BinaryAccuracy</c> (all an <see cref="Accuracy"/>, saved
/// under the class of its resolved kind; one still on <see cref="AccuracyKind.Auto"/> is saved as <c>Accuracy</c> and here keeps
/// choosing from the first batch, unlike Keras's exact-match class), <c>Precision</c> and <c>Recall</c>, with Keras's string
/// identifiers as aliases. <see cref="Metrics.Get"/> resolves <c>"accuracy"</c> from the loss before asking the registry.</para>
/// <para>A whole-model save writes a custom metric as <c>{"class_name": name, "config": metric.GetConfig()}</c>; loading calls
/// the registered factory with that config. A file can only name a class that code registered. Registration is thread-safe.</para>
/// </remarks>
/// <example>
/// <code>
/// MetricRegistry.Register("MeanPrediction", config => new MeanPrediction(ConfigReader.GetString(config, "name", "mean_prediction")!));
/// model.Compile(new Adam(), new MeanSquaredError(), [new MeanPrediction()]);
/// </code>
/// </example>
public static class MetricRegistry
{
    private static readonly ClassRegistry<Metric> s_registry = new("metric", nameof(MetricRegistry));

    static MetricRegistry()
    {
        s_registry.Register("Accuracy", c => NewAccuracy(c, AccuracyKind.Auto, "accuracy"), [], AccuracyClassName);
        s_registry.AddNames(c => NewAccuracy(c, AccuracyKind.Sparse, "sparse_categorical_accuracy"), "SparseCategoricalAccuracy", "sparse_categorical_accuracy");
        s_registry.AddNames(c => NewAccuracy(c, AccuracyKind.Categorical, "categorical_accuracy"), "CategoricalAccuracy", "categorical_accuracy");
        s_registry.AddNames(c => NewAccuracy(c, AccuracyKind.Binary, "binary_accuracy"), "BinaryAccuracy", "binary_accuracy");
        Register("Precision", c => new Precision(ConfigReader.GetDouble(c, "thresholds", 0.5), ConfigReader.GetString(c, "name", null) ?? "precision"), "precision");
        Register("Recall", c => new Recall(ConfigReader.GetDouble(c, "thresholds", 0.5), ConfigReader.GetString(c, "name", null) ?? "recall"), "recall");
    }

    /// <summary>Every registered name (class names and aliases), sorted.</summary>
    public static IReadOnlyList<string> RegisteredNames => s_registry.Names;

    /// <summary>Registers a factory for <typeparamref name="T"/> under <paramref name="className"/> and optional aliases.</summary>
    /// <typeparam name="T">The metric type the factory makes; a model compiled with one is saved under <paramref name="className"/>.</typeparam>
    /// <param name="className">The name written in saved models.</param>
    /// <param name="factory">Makes the metric from the config its <see cref="Metric.GetConfig"/> returned (empty for an alias).</param>
    /// <param name="aliases">Further names <see cref="Metrics.Get"/> accepts.</param>
    /// <exception cref="ArgumentException">A name is registered for another type, or the type under another class name.</exception>
    public static void Register<T>(string className, Func<IReadOnlyDictionary<string, object?>, T> factory, params string[] aliases) where T : Metric =>
        s_registry.Register(className, factory, aliases);

    /// <summary>Whether <paramref name="name"/> is a registered class name or alias.</summary>
    public static bool IsRegistered(string name) => s_registry.IsRegistered(name);

    /// <summary>The class name <paramref name="metric"/> is saved under (for an <see cref="Accuracy"/>, its kind's class).</summary>
    /// <returns>False when the metric's exact type is not registered.</returns>
    public static bool TryGetClassName(Metric metric, out string className)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return s_registry.TryGetClassName(metric, out className);
    }

    /// <summary>Creates the metric registered as <paramref name="name"/> from <paramref name="config"/>.</summary>
    /// <exception cref="ArgumentException">The name is not registered; the message lists the registered names.</exception>
    public static Metric Create(string name, IReadOnlyDictionary<string, object?> config) => s_registry.Create(name, config);

    private static Accuracy NewAccuracy(IReadOnlyDictionary<string, object?> c, AccuracyKind kind, string name) =>
        new(kind, ConfigReader.GetString(c, "name", null) ?? name, ConfigReader.GetDouble(c, "threshold", 0.5));

    private static string AccuracyClassName(Accuracy accuracy) => accuracy.Kind switch
    {
        AccuracyKind.Sparse => "SparseCategoricalAccuracy",
        AccuracyKind.Categorical => "CategoricalAccuracy",
        AccuracyKind.Binary => "BinaryAccuracy",
        _ => "Accuracy",
    };
}
