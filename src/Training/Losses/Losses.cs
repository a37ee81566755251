namespace Framework.Training;

/// <summary>Finds losses by their Keras names, as <c>Compile(loss: "mse")</c> does.</summary>
public static class Losses
{
    /// <summary>The loss named <paramref name="name"/> (Keras names and aliases: <c>mse</c>, <c>mae</c>, <c>huber</c>…).</summary>
    /// <exception cref="ArgumentException">The name is unknown; the message lists the known names.</exception>
    public static Loss Get(string name) => name switch
    {
        "sparse_categorical_crossentropy" => new SparseCategoricalCrossentropy(),
        "categorical_crossentropy" => new CategoricalCrossentropy(),
        "binary_crossentropy" => new BinaryCrossentropy(),
        "mse" or "mean_squared_error" => new MeanSquaredError(),
        "mae" or "mean_absolute_error" => new MeanAbsoluteError(),
        "huber" or "huber_loss" => new Huber(),
        _ => throw new ArgumentException($"Unknown loss '{name}'. Known losses: sparse_categorical_crossentropy, categorical_crossentropy, binary_crossentropy, mse, mae, huber.", nameof(name)),
    };
}
