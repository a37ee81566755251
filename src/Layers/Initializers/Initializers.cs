namespace Framework.Layers;

/// <summary>Ready-made initializers, and lookup by Keras name or serialized configuration.</summary>
/// <remarks>
/// Each property returns a new, unseeded instance, which draws from the global generator; no instance state is
/// shared between the layers that use them.
/// </remarks>
public static class Initializers
{
    private static readonly Dictionary<string, Func<IReadOnlyDictionary<string, object?>, Initializer>> s_factories = Build(
        ("Zeros", _ => new Zeros()),
        ("Ones", _ => new Ones()),
        ("Constant", c => new Constant(ConfigReader.GetDouble(c, "value", 0))),
        ("RandomNormal", c => new RandomNormal(ConfigReader.GetDouble(c, "mean", 0), ConfigReader.GetDouble(c, "stddev", 0.05), Seed(c))),
        ("RandomUniform", c => new RandomUniform(ConfigReader.GetDouble(c, "minval", -0.05), ConfigReader.GetDouble(c, "maxval", 0.05), Seed(c))),
        ("TruncatedNormal", c => new TruncatedNormal(ConfigReader.GetDouble(c, "mean", 0), ConfigReader.GetDouble(c, "stddev", 0.05), Seed(c))),
        ("VarianceScaling", c => new VarianceScaling(ConfigReader.GetDouble(c, "scale", 1),
            ConfigReader.GetString(c, "mode", "fan_in")!, ConfigReader.GetString(c, "distribution", "truncated_normal")!, Seed(c))),
        ("GlorotUniform", c => new GlorotUniform(Seed(c))),
        ("GlorotNormal", c => new GlorotNormal(Seed(c))),
        ("HeNormal", c => new HeNormal(Seed(c))),
        ("HeUniform", c => new HeUniform(Seed(c))),
        ("Orthogonal", c => new Orthogonal(ConfigReader.GetDouble(c, "gain", 1), Seed(c))));

    /// <summary>A new <see cref="Layers.Zeros"/>.</summary>
    public static Zeros Zeros => new();

    /// <summary>A new <see cref="Layers.Ones"/>.</summary>
    public static Ones Ones => new();

    /// <summary>A new unseeded <see cref="Layers.GlorotUniform"/>.</summary>
    public static GlorotUniform GlorotUniform => new();

    /// <summary>A new unseeded <see cref="Layers.GlorotNormal"/>.</summary>
    public static GlorotNormal GlorotNormal => new();

    /// <summary>A new unseeded <see cref="Layers.HeNormal"/>.</summary>
    public static HeNormal HeNormal => new();

    /// <summary>A new unseeded <see cref="Layers.HeUniform"/>.</summary>
    public static HeUniform HeUniform => new();

    /// <summary>A new unseeded <see cref="Layers.Orthogonal"/> with gain 1.</summary>
    public static Orthogonal Orthogonal => new();

    /// <summary>The names <see cref="Get"/> accepts, in Keras's snake case (each class name works too).</summary>
    public static IReadOnlyCollection<string> Names => s_factories.Keys.Where(k => k == Layer.ToSnakeCase(k)).ToArray();

    /// <summary>A new initializer with default arguments from its Keras name (<c>glorot_uniform</c>) or class name (<c>GlorotUniform</c>).</summary>
    /// <exception cref="ArgumentException">The name is unknown; the message lists the known names.</exception>
    public static Initializer Get(string name) => Create(name, new Dictionary<string, object?>());

    /// <summary>Re-creates an initializer from a name or from the dictionary that <see cref="Initializer.GetConfig"/> returned.</summary>
    /// <param name="config">A name string, or <c>{"class_name": ..., "config": {...}}</c> as .NET values or a <see cref="System.Text.Json.JsonElement"/>.</param>
    /// <exception cref="ArgumentException">The value is neither, or names an unknown initializer.</exception>
    public static Initializer FromConfig(object? config) => ConfigReader.Normalize(config) switch
    {
        string name => Get(name),
        IReadOnlyDictionary<string, object?> d => Create(
            ConfigReader.GetString(d, "class_name") ?? throw new ArgumentException("An initializer configuration needs a 'class_name'.", nameof(config)),
            ConfigReader.Get(d, "config") as IReadOnlyDictionary<string, object?> ?? new Dictionary<string, object?>()),
        var other => throw new ArgumentException($"An initializer configuration must be a name or a dictionary; received {other ?? "null"}.", nameof(config)),
    };

    private static Initializer Create(string name, IReadOnlyDictionary<string, object?> arguments)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return s_factories.TryGetValue(name, out var factory)
            ? factory(arguments)
            : throw new ArgumentException($"Unknown initializer '{name}'. Known initializers: {string.Join(", ", Names)}.", nameof(name));
    }

    private static long? Seed(IReadOnlyDictionary<string, object?> config) => ConfigReader.GetLong(config, "seed");

    private static Dictionary<string, Func<IReadOnlyDictionary<string, object?>, Initializer>> Build(
        params (string ClassName, Func<IReadOnlyDictionary<string, object?>, Initializer> Factory)[] entries)
    {
        var map = new Dictionary<string, Func<IReadOnlyDictionary<string, object?>, Initializer>>(StringComparer.Ordinal);
        foreach (var (className, factory) in entries)
        {
            map[className] = factory;
            map[Layer.ToSnakeCase(className)] = factory;
        }
        return map;
    }
}
