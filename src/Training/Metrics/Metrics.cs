namespace Framework.Training;

/// <summary>Finds metrics by their Keras names, as <c>Compile(metrics: ["accuracy"])</c> does.</summary>
public static class Metrics
{
    /// <summary>The metric named <paramref name="name"/>; <c>accuracy</c> follows the loss like Keras does.</summary>
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
        "sparse_categorical_accuracy" => new Accuracy(AccuracyKind.Sparse, name),
        "categorical_accuracy" => new Accuracy(AccuracyKind.Categorical, name),
        "binary_accuracy" => new Accuracy(AccuracyKind.Binary, name),
        "precision" => new Precision(),
        "recall" => new Recall(),
        _ => throw new ArgumentException($"Unknown metric '{name}'. Known metrics: accuracy, sparse_categorical_accuracy, categorical_accuracy, binary_accuracy, precision, recall.", nameof(name)),
    };
}
