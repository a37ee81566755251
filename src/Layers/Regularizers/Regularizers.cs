namespace Framework.Layers;

/// <summary>Lookup of regularizers by Keras name (<c>l1</c>, <c>l2</c>, <c>l1_l2</c>) or serialized configuration.</summary>
public static class Regularizers
{
    /// <summary>A new regularizer with Keras's default factors from its name (<c>l1</c>, <c>l2</c>, <c>l1_l2</c>) or class name.</summary>
    /// <exception cref="ArgumentException">The name is unknown.</exception>
    public static Regularizer Get(string name) => Create(name, new Dictionary<string, object?>());

    /// <summary>Re-creates a regularizer from a name or from the dictionary that <see cref="Regularizer.GetConfig"/> returned.</summary>
    /// <param name="config">A name, or <c>{"class_name": ..., "config": {...}}</c> as .NET values or a <see cref="System.Text.Json.JsonElement"/>; null gives null.</param>
    /// <exception cref="ArgumentException">The value is neither, or names an unknown regularizer.</exception>
    public static Regularizer? FromConfig(object? config) => ConfigReader.Normalize(config) switch
    {
        null => null,
        string name => Get(name),
        IReadOnlyDictionary<string, object?> d => Create(
            ConfigReader.GetString(d, "class_name") ?? throw new ArgumentException("A regularizer configuration needs a 'class_name'.", nameof(config)),
            ConfigReader.Get(d, "config") as IReadOnlyDictionary<string, object?> ?? new Dictionary<string, object?>()),
        var other => throw new ArgumentException($"A regularizer configuration must be a name or a dictionary; received {other}.", nameof(config)),
    };

    private static Regularizer Create(string name, IReadOnlyDictionary<string, object?> c)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return name switch
        {
            "l1" or "L1" => new L1(ConfigReader.GetDouble(c, "l1", 0.01)),
            "l2" or "L2" => new L2(ConfigReader.GetDouble(c, "l2", 0.01)),
            "l1_l2" or "L1L2" => new L1L2(ConfigReader.GetDouble(c, "l1", 0), ConfigReader.GetDouble(c, "l2", 0)),
            _ => throw new ArgumentException($"Unknown regularizer '{name}'. Known regularizers: l1, l2, l1_l2.", nameof(name)),
        };
    }
}
