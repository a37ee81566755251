namespace Framework.Training;

/// <summary>Finds metrics by their Keras names, as <c>Compile(metrics: ["accuracy"])</c> does.</summary>
public static class Metrics
{
    /// <summary>The metric named <paramref name="name"/>; <c>accuracy</c> follows the loss like Keras does, any other name is
    /// looked up in <see cref="MetricRegistry"/> (custom metrics included).</summary>
    /// <param name="name">A Keras metric name.</param>
    /// <param name="loss">The compiled loss, which decides the kind of <c>accuracy</c> (sparse, categorical, binary).</param>
    /// <exception cref="ArgumentException">The name is unknown; the message lists the known names.</exception>
    public static Metric Get(string name, Loss? loss = null) => name switch
    {
        "accuracy" or "acc" => new Accuracy(loss switch
        {
            SparseCategoricalCrossentropy => AccuracyKind.Sparse,
            CategoricalCrossentropy => AccuracyKind.Categorical,
            BinaryCrossentropy => AccuracyKind.Binary,
            _ => AccuracyKind.Auto,
        }),
        // Every other name, built-in or custom, is made by its registered factory with its defaults.
        _ => MetricRegistry.Create(name, new Dictionary<string, object?>()),
    };
}
