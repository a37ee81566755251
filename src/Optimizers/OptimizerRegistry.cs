namespace Framework.Optimizers;

/// <summary>Re-creates optimizers from their class name and configuration; the only way loading a model makes an optimizer.</summary>
/// <remarks>
/// <para>The built-in optimizers are registered under Keras's class names (<c>Adam</c>, <c>AdamW</c>, <c>SGD</c>,
/// <c>RMSprop</c>, <c>Adadelta</c>, <c>Adagrad</c>, <c>Adamax</c>, <c>Nadam</c>) by <see cref="OptimizerRegistry"/> itself, the
/// same way a custom optimizer is. Names are looked up ignoring case, so Keras's identifiers (<c>"adam"</c>, <c>"sgd"</c>)
/// find the same entries. A file can only name a class that code registered: loading never instantiates a type because a
/// file names it.</para>
/// <para>A whole-model save writes the optimizer as <c>{"class_name": name, "config": optimizer.GetConfig()}</c>; loading
/// calls the registered factory with that config (values possibly <see cref="System.Text.Json.JsonElement"/>s, which
/// <c>ConfigReader</c> reads), then applies the clipping keys (<c>clipnorm</c>, <c>clipvalue</c>, <c>global_clipnorm</c>)
/// itself. The optimizer's state (iteration counter, hyperparameters, slots) is restored by the format, for any optimizer.
/// Registration is thread-safe.</para>
/// </remarks>
/// <example>
/// <code>
/// OptimizerRegistry.Register("HeavyBall", config => new HeavyBall(ConfigReader.GetDouble(config, "learning_rate", 0.05)));
/// model.Compile(new HeavyBall(), new MeanSquaredError());
/// model.Save("run.keras");
/// var restored = Model.Load("run.keras");   // compiled with a HeavyBall, its slots restored
/// </code>
/// </example>
public static class OptimizerRegistry
{
    private static readonly object s_lock = new();
    private static readonly Dictionary<string, Func<IReadOnlyDictionary<string, object?>, Optimizer>> s_factories = new(StringComparer.OrdinalIgnoreCase);
    private static readonly Dictionary<Type, string> s_classNames = [];

    static OptimizerRegistry() => BuiltInOptimizers.RegisterAll();

    /// <summary>The registered class names, sorted.</summary>
    public static IReadOnlyList<string> RegisteredNames
    {
        get
        {
            lock (s_lock) return [.. s_classNames.Values.Order(StringComparer.OrdinalIgnoreCase)];
        }
    }

    /// <summary>Registers a factory for <typeparamref name="T"/> under <paramref name="className"/>.</summary>
    /// <typeparam name="T">The optimizer type the factory makes; <see cref="TryGetClassName"/> maps it back to the class name.</typeparam>
    /// <param name="className">The name written in saved models (compared ignoring case).</param>
    /// <param name="factory">Makes the optimizer from the config its <see cref="Optimizer.GetConfig"/> returned.</param>
    /// <exception cref="ArgumentException">The name is empty, or already registered for another type, or the type under another name.</exception>
    public static void Register<T>(string className, Func<IReadOnlyDictionary<string, object?>, T> factory) where T : Optimizer
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(className);
        ArgumentNullException.ThrowIfNull(factory);
        lock (s_lock)
        {
            if (s_classNames.TryGetValue(typeof(T), out var existing) && !string.Equals(existing, className, StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException($"OptimizerRegistry: {typeof(T).FullName} is already registered as '{existing}'; received '{className}'.", nameof(className));
            var owner = s_classNames.FirstOrDefault(p => string.Equals(p.Value, className, StringComparison.OrdinalIgnoreCase)).Key;
            if (owner is not null && owner != typeof(T))
                throw new ArgumentException($"OptimizerRegistry: the class name '{className}' is already registered for {owner.FullName}; received {typeof(T).FullName}.", nameof(className));
            s_factories[className] = factory;
            s_classNames[typeof(T)] = className;
        }
    }

    /// <summary>Whether <paramref name="className"/> is registered (ignoring case).</summary>
    public static bool IsRegistered(string className)
    {
        ArgumentNullException.ThrowIfNull(className);
        lock (s_lock) return s_factories.ContainsKey(className);
    }

    /// <summary>The class name <paramref name="optimizer"/>'s exact type was registered under.</summary>
    /// <returns>False when the type is not registered (a subclass of a registered type is not).</returns>
    public static bool TryGetClassName(Optimizer optimizer, out string className)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        lock (s_lock)
        {
            if (s_classNames.TryGetValue(optimizer.GetType(), out var name))
            {
                className = name;
                return true;
            }
        }
        className = "";
        return false;
    }

    /// <summary>Creates an optimizer of the class registered as <paramref name="className"/> from <paramref name="config"/>.</summary>
    /// <remarks>Clipping keys are not applied here; <see cref="OptimizerFactory.FromConfig"/> applies them for every class.</remarks>
    /// <exception cref="ArgumentException">The class name is not registered; the message lists the registered names.</exception>
    public static Optimizer Create(string className, IReadOnlyDictionary<string, object?> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Func<IReadOnlyDictionary<string, object?>, Optimizer>? factory = null;
        if (className is not null)
        {
            lock (s_lock) s_factories.TryGetValue(className, out factory);
        }
        return factory is not null ? factory(config)
            : throw new ArgumentException($"Unknown optimizer '{className}'; known: {string.Join(", ", KnownNames())}. " +
                $"Register a custom optimizer with OptimizerRegistry.Register<T>(\"{className}\", config => ...) before loading.", nameof(className));
    }

    /// <summary>The registered names as Keras identifiers: the built-ins first (as <see cref="OptimizerFactory.Names"/>), then custom ones.</summary>
    private static IEnumerable<string> KnownNames() =>
        RegisteredNames.Select(n => n.ToLowerInvariant()).OrderBy(n => OptimizerFactory.Names.Contains(n) ? 0 : 1).ThenBy(n => n, StringComparer.Ordinal);
}
