namespace Framework.Layers;

/// <summary>Re-creates layers from their Keras class name and configuration; the only way loading makes layers.</summary>
/// <remarks>
/// The built-in layers are registered under Keras's class names (<c>Dense</c>, <c>Dropout</c>, <c>Flatten</c>,
/// <c>Activation</c>, <c>InputLayer</c>, <c>BatchNormalization</c>, the convolution and pooling layers). A custom layer is registered explicitly with a
/// factory; a file can only name a class that code registered, so loading never instantiates a type because a file
/// names it. Factories receive the dictionary from <see cref="Layer.GetConfig"/>, possibly after a JSON round trip
/// (values as <see cref="System.Text.Json.JsonElement"/>); <see cref="ConfigReader"/> reads both forms. Registration
/// is thread-safe.
/// </remarks>
/// <example>
/// <code>
/// LayerRegistry.Register&lt;Scale&gt;("Scale", config => new Scale(ConfigReader.GetString(config, "name")));
/// var layer = LayerRegistry.Create("Scale", savedConfig);
/// </code>
/// </example>
public static class LayerRegistry
{
    private static readonly object s_lock = new();
    private static readonly Dictionary<string, Func<IReadOnlyDictionary<string, object?>, Layer>> s_factories = new(StringComparer.Ordinal);
    private static readonly Dictionary<Type, string> s_classNames = [];

    static LayerRegistry()
    {
        Register<Dense>("Dense", Dense.FromConfig);
        Register<Dropout>("Dropout", Dropout.FromConfig);
        Register<Flatten>("Flatten", Flatten.FromConfig);
        Register<Activation>("Activation", Activation.FromConfig);
        Register<InputLayer>("InputLayer", InputLayer.FromConfig);
        Register<BatchNormalization>("BatchNormalization", BatchNormalization.FromConfig);
        Register<LeakyReLU>("LeakyReLU", LeakyReLU.FromConfig);
        Register<Embedding>("Embedding", Embedding.FromConfig);
        Register<Reshape>("Reshape", Reshape.FromConfig);
        Register<Lstm>("LSTM", Lstm.FromConfig);
        Register<Gru>("GRU", Gru.FromConfig);
        Register<Conv1D>("Conv1D", Conv1D.FromConfig);
        Register<Conv2D>("Conv2D", Conv2D.FromConfig);
        Register<MaxPooling1D>("MaxPooling1D", MaxPooling1D.FromConfig);
        Register<MaxPooling2D>("MaxPooling2D", MaxPooling2D.FromConfig);
        Register<AveragePooling1D>("AveragePooling1D", AveragePooling1D.FromConfig);
        Register<AveragePooling2D>("AveragePooling2D", AveragePooling2D.FromConfig);
        Register<GlobalAveragePooling1D>("GlobalAveragePooling1D", GlobalAveragePooling1D.FromConfig);
        Register<GlobalAveragePooling2D>("GlobalAveragePooling2D", GlobalAveragePooling2D.FromConfig);
        Register<GlobalMaxPooling1D>("GlobalMaxPooling1D", GlobalMaxPooling1D.FromConfig);
        Register<GlobalMaxPooling2D>("GlobalMaxPooling2D", GlobalMaxPooling2D.FromConfig);
    }

    /// <summary>The registered class names, sorted.</summary>
    public static IReadOnlyList<string> RegisteredNames
    {
        get
        {
            lock (s_lock) return [.. s_factories.Keys.Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>Registers a factory for <typeparamref name="T"/> under <paramref name="className"/>.</summary>
    /// <typeparam name="T">The layer type the factory makes; <see cref="GetClassName"/> maps it back to the class name.</typeparam>
    /// <param name="className">The name written in saved models, usually the type's name.</param>
    /// <param name="factory">Makes the layer from its configuration.</param>
    /// <exception cref="ArgumentException">The name is empty, or already registered for another type.</exception>
    public static void Register<T>(string className, Func<IReadOnlyDictionary<string, object?>, T> factory) where T : Layer
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(className);
        ArgumentNullException.ThrowIfNull(factory);
        lock (s_lock)
        {
            if (s_classNames.TryGetValue(typeof(T), out var existingName) && existingName != className)
                throw new ArgumentException($"LayerRegistry: {typeof(T).FullName} is already registered as '{existingName}'; received '{className}'.", nameof(className));
            var owner = s_classNames.FirstOrDefault(p => p.Value == className).Key;
            if (owner is not null && owner != typeof(T))
                throw new ArgumentException($"LayerRegistry: the class name '{className}' is already registered for {owner.FullName}; received {typeof(T).FullName}.", nameof(className));
            s_factories[className] = factory;
            s_classNames[typeof(T)] = className;
        }
    }

    /// <summary>Whether <paramref name="className"/> is registered.</summary>
    public static bool IsRegistered(string className)
    {
        lock (s_lock) return s_factories.ContainsKey(className);
    }

    /// <summary>The class name <paramref name="layer"/>'s type was registered under.</summary>
    /// <exception cref="InvalidOperationException">The type is not registered; the message says how to register it.</exception>
    public static string GetClassName(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        lock (s_lock)
        {
            return s_classNames.TryGetValue(layer.GetType(), out var name) ? name
                : throw new InvalidOperationException($"{layer} has type {layer.GetType().FullName}, which is not registered. Call LayerRegistry.Register<{layer.GetType().Name}>(\"{layer.GetType().Name}\", config => ...) before saving or loading.");
        }
    }

    /// <summary>Creates a layer of the class registered as <paramref name="className"/> from <paramref name="config"/>.</summary>
    /// <exception cref="ArgumentException">The class name is not registered; the message lists the registered names.</exception>
    public static Layer Create(string className, IReadOnlyDictionary<string, object?> config)
    {
        ArgumentNullException.ThrowIfNull(className);
        ArgumentNullException.ThrowIfNull(config);
        Func<IReadOnlyDictionary<string, object?>, Layer>? factory;
        lock (s_lock) s_factories.TryGetValue(className, out factory);
        return factory is not null ? factory(config)
            : throw new ArgumentException($"Unknown layer class '{className}'. Registered classes: {string.Join(", ", RegisteredNames)}. Register custom layers with LayerRegistry.Register<T>(\"{className}\", factory) before loading.", nameof(className));
    }
}
