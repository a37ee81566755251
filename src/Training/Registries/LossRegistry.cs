using Framework.Layers;

namespace Framework.Training;

/// <summary>Re-creates losses from their class name (or a Keras alias such as <c>"mse"</c>) and configuration; the only way
/// <see cref="Losses.Get"/> and loading a model make a loss.</summary>
/// <remarks>
/// <para>The built-in losses are registered here the same way a custom one is: under Keras's class names
/// (<c>SparseCategoricalCrossentropy</c>, <c>CategoricalCrossentropy</c>, <c>BinaryCrossentropy</c>, <c>MeanSquaredError</c>,
/// <c>MeanAbsoluteError</c>, <c>Huber</c>) with Keras's string identifiers as aliases (<c>sparse_categorical_crossentropy</c>,
/// <c>mse</c>, <c>mean_squared_error</c>, <c>mae</c>, <c>huber</c>…). Names are case-sensitive.</para>
/// <para>A whole-model save writes the loss as <c>{"class_name": name, "config": loss.GetConfig()}</c>; loading calls the
/// registered factory with that config (values possibly <see cref="System.Text.Json.JsonElement"/>s, which
/// <see cref="ConfigReader"/> reads). A file can only name a class that code registered. Registration is thread-safe.</para>
/// </remarks>
/// <example>
/// <code>
/// LossRegistry.Register("ScaledMse", config => new ScaledMse(ConfigReader.GetDouble(config, "scale", 1.0)));
/// model.Compile(new Adam(), new ScaledMse(2.0));
/// </code>
/// </example>
public static class LossRegistry
{
    private static readonly ClassRegistry<Loss> s_registry = new("loss", nameof(LossRegistry));

    static LossRegistry()
    {
        Register("SparseCategoricalCrossentropy", c => new SparseCategoricalCrossentropy(ConfigReader.GetBool(c, "from_logits", false)), "sparse_categorical_crossentropy");
        Register("CategoricalCrossentropy", c => new CategoricalCrossentropy(ConfigReader.GetBool(c, "from_logits", false), ConfigReader.GetDouble(c, "label_smoothing", 0)), "categorical_crossentropy");
        Register("BinaryCrossentropy", c => new BinaryCrossentropy(ConfigReader.GetBool(c, "from_logits", false)), "binary_crossentropy");
        Register("MeanSquaredError", _ => new MeanSquaredError(), "mse", "mean_squared_error");
        Register("MeanAbsoluteError", _ => new MeanAbsoluteError(), "mae", "mean_absolute_error");
        Register("Huber", c => new Huber(ConfigReader.GetDouble(c, "delta", 1.0)), "huber", "huber_loss");
    }

    /// <summary>Every registered name (class names and aliases), sorted.</summary>
    public static IReadOnlyList<string> RegisteredNames => s_registry.Names;

    /// <summary>Registers a factory for <typeparamref name="T"/> under <paramref name="className"/> and optional aliases.</summary>
    /// <typeparam name="T">The loss type the factory makes; a model compiled with one is saved under <paramref name="className"/>.</typeparam>
    /// <param name="className">The name written in saved models.</param>
    /// <param name="factory">Makes the loss from the config its <see cref="Loss.GetConfig"/> returned (empty for an alias).</param>
    /// <param name="aliases">Further names <see cref="Losses.Get"/> accepts (Keras's <c>"mse"</c> style).</param>
    /// <exception cref="ArgumentException">A name is registered for another type, or the type under another class name.</exception>
    public static void Register<T>(string className, Func<IReadOnlyDictionary<string, object?>, T> factory, params string[] aliases) where T : Loss =>
        s_registry.Register(className, factory, aliases);

    /// <summary>Whether <paramref name="name"/> is a registered class name or alias.</summary>
    public static bool IsRegistered(string name) => s_registry.IsRegistered(name);

    /// <summary>The class name <paramref name="loss"/>'s exact type was registered under.</summary>
    /// <returns>False when the type is not registered.</returns>
    public static bool TryGetClassName(Loss loss, out string className)
    {
        ArgumentNullException.ThrowIfNull(loss);
        return s_registry.TryGetClassName(loss, out className);
    }

    /// <summary>Creates the loss registered as <paramref name="name"/> from <paramref name="config"/>.</summary>
    /// <exception cref="ArgumentException">The name is not registered; the message lists the registered names.</exception>
    public static Loss Create(string name, IReadOnlyDictionary<string, object?> config) => s_registry.Create(name, config);
}
