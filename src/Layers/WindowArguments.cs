using Framework.Tensors;

namespace Framework.Layers;

/// <summary>Keras's arguments of the convolution and pooling layers: <c>padding</c>, <c>data_format</c> and sizes given as an int or a list.</summary>
internal static class WindowArguments
{
    /// <summary>The canonical (lower-case) padding name, checked.</summary>
    /// <exception cref="ArgumentException">The name is not <c>valid</c>, <c>same</c> or (when allowed) <c>causal</c>.</exception>
    public static string Parse(string type, string layer, string? padding, bool allowCausal)
    {
        string name = (padding ?? "valid").ToLowerInvariant();
        if (name is "valid" or "same" || (allowCausal && name == "causal")) return name;
        throw new ArgumentException($"{type} '{layer}': padding must be 'valid', 'same'{(allowCausal ? " or 'causal'" : "")}; received '{padding}'.", nameof(padding));
    }

    /// <summary>The engine's padding for a checked name.</summary>
    public static Padding ToPadding(string name) => name switch
    {
        "same" => Padding.Same,
        "causal" => Padding.Causal,
        _ => Padding.Valid,
    };

    /// <summary><c>channels_last</c>, the only layout the layers compute in; null means it, as in Keras's default configuration.</summary>
    /// <exception cref="ArgumentException">Another layout is requested.</exception>
    public static string ChannelsLastOnly(string type, string layer, string? dataFormat)
    {
        if (dataFormat is null || dataFormat.Equals("channels_last", StringComparison.OrdinalIgnoreCase)) return "channels_last";
        throw new ArgumentException($"{type} '{layer}': only data_format='channels_last' is supported; received '{dataFormat}'. Transpose the data to (batch, ..., channels).", "dataFormat");
    }

    /// <summary>Reads an int or a list of ints (Keras writes tuples as lists), one per spatial axis; <paramref name="defaultValue"/> when absent.</summary>
    /// <exception cref="ArgumentException">The value holds something else than integers.</exception>
    public static int[]? Sizes(IReadOnlyDictionary<string, object?> config, string key, int rank, int? defaultValue)
    {
        if (!ConfigReader.Has(config, key)) return defaultValue is { } d ? [.. Enumerable.Repeat(d, rank)] : null;
        if (ConfigReader.Get(config, key) is not System.Collections.IList) return [.. Enumerable.Repeat(ConfigReader.GetInt(config, key), rank)];
        return [.. ConfigReader.GetIntList(config, key).Select(v => v ?? throw new ArgumentException($"'{key}' holds a null size.", nameof(config)))];
    }
}
