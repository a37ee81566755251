using System.Globalization;
using System.Text.Json;

namespace Framework.Layers;

/// <summary>Reads values from configuration dictionaries, whether they hold .NET values or <see cref="JsonElement"/>s.</summary>
/// <remarks>
/// <see cref="Layer.GetConfig"/> returns plain values (numbers, strings, booleans, arrays, dictionaries). After a
/// round trip through System.Text.Json they come back as <see cref="JsonElement"/>s; these helpers accept both, so
/// a layer factory registered with <see cref="LayerRegistry"/> reads either the same way.
/// </remarks>
public static class ConfigReader
{
    /// <summary>The <see cref="Exception.Data"/> entry in which the exceptions of these helpers name the refused key, so that a
    /// loader can point at it (<c>config.layers[0].config.units</c>).</summary>
    public const string KeyDataName = "ConfigKey";

    /// <summary>Converts a <see cref="JsonElement"/> (recursively) to string, long, double, bool, null, list or dictionary; other values are returned as they are.</summary>
    public static object? Normalize(object? value) => value switch
    {
        JsonElement e => e.ValueKind switch
        {
            JsonValueKind.String => e.GetString(),
            JsonValueKind.Number => e.TryGetInt64(out long l) ? l : e.GetDouble(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Array => e.EnumerateArray().Select(x => Normalize(x)).ToList(),
            JsonValueKind.Object => e.EnumerateObject().ToDictionary(p => p.Name, p => Normalize(p.Value)),
            _ => null,
        },
        IReadOnlyDictionary<string, object?> d => d.ToDictionary(p => p.Key, p => Normalize(p.Value)),
        _ => value,
    };

    /// <summary>Whether <paramref name="key"/> is present with a non-null value.</summary>
    public static bool Has(IReadOnlyDictionary<string, object?> config, string key) =>
        config.TryGetValue(key, out var value) && Normalize(value) is not null;

    /// <summary>The value of <paramref name="key"/> as an int, or <paramref name="defaultValue"/> when absent or null.</summary>
    /// <exception cref="ArgumentException">The key is absent without a default, or the value is not an integer.</exception>
    public static int GetInt(IReadOnlyDictionary<string, object?> config, string key, int? defaultValue = null)
    {
        long value = GetLong(config, key, defaultValue) ?? throw Missing(key);
        return value is >= int.MinValue and <= int.MaxValue ? (int)value : throw Wrong(key, "an integer in the range of int", value);
    }

    /// <summary>The value of <paramref name="key"/> as a long, or <paramref name="defaultValue"/> (possibly null) when absent or null.</summary>
    /// <exception cref="ArgumentException">The value is not an integer.</exception>
    public static long? GetLong(IReadOnlyDictionary<string, object?> config, string key, long? defaultValue = null)
    {
        var value = Get(config, key);
        if (value is null) return defaultValue;
        if (value is long exact) return exact;
        double number = ToDouble(key, value);
        // Outside long's range (or NaN) the cast would be undefined.
        if (number != Math.Floor(number) || !(number >= long.MinValue && number < 9.2233720368547758E18)) throw Wrong(key, "an integer", value);
        return (long)number;
    }

    /// <summary>The value of <paramref name="key"/> as a double, or <paramref name="defaultValue"/> when absent or null.</summary>
    /// <exception cref="ArgumentException">The key is absent without a default, or the value is not a number.</exception>
    public static double GetDouble(IReadOnlyDictionary<string, object?> config, string key, double? defaultValue = null)
    {
        var value = Get(config, key);
        return value is null ? defaultValue ?? throw Missing(key) : ToDouble(key, value);
    }

    /// <summary>The value of <paramref name="key"/> as a bool, or <paramref name="defaultValue"/> when absent or null.</summary>
    /// <exception cref="ArgumentException">The key is absent without a default, or the value is not a boolean.</exception>
    public static bool GetBool(IReadOnlyDictionary<string, object?> config, string key, bool? defaultValue = null) =>
        Get(config, key) switch
        {
            null => defaultValue ?? throw Missing(key),
            bool b => b,
            var other => throw Wrong(key, "a boolean", other),
        };

    /// <summary>The value of <paramref name="key"/> as a string, or <paramref name="defaultValue"/> (possibly null) when absent or null.</summary>
    /// <exception cref="ArgumentException">The value is not a string.</exception>
    public static string? GetString(IReadOnlyDictionary<string, object?> config, string key, string? defaultValue = null) =>
        Get(config, key) switch
        {
            null => defaultValue,
            string s => s,
            var other => throw Wrong(key, "a string", other),
        };

    /// <summary>The value of <paramref name="key"/> as a list of ints in which null entries (unknown dimensions) stay null.</summary>
    /// <exception cref="ArgumentException">The key is absent, or the value is not a list of integers and nulls.</exception>
    public static int?[] GetIntList(IReadOnlyDictionary<string, object?> config, string key)
    {
        if (Get(config, key) is not System.Collections.IEnumerable items || items is string) throw Missing(key);
        var list = new List<int?>();
        foreach (var item in items)
        {
            var value = Normalize(item);
            double number = value is null ? 0 : ToDouble(key, value);
            if (number != Math.Floor(number) || !(number >= int.MinValue && number <= int.MaxValue)) throw Wrong(key, "a list of integers in the range of int (or nulls)", value!);
            list.Add(value is null ? null : (int)number);
        }
        return [.. list];
    }

    /// <summary>The raw (normalized) value of <paramref name="key"/>, or null when absent.</summary>
    public static object? Get(IReadOnlyDictionary<string, object?> config, string key)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.TryGetValue(key, out var value) ? Normalize(value) : null;
    }

    private static double ToDouble(string key, object value) => value switch
    {
        long or int or double or float or short or byte or decimal => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        _ => throw Wrong(key, "a number", value),
    };

    private static ArgumentException Missing(string key) =>
        Keyed(new($"The configuration has no value for '{key}', which is required.", "config"), key);

    private static ArgumentException Wrong(string key, string expected, object value) =>
        Keyed(new($"The configuration value '{key}' must be {expected}; received {Describe(value)} ({value.GetType().Name}).", "config"), key);

    private static ArgumentException Keyed(ArgumentException e, string key)
    {
        e.Data[KeyDataName] = key;
        return e;
    }

    // A list or dictionary prints as its type name otherwise; a long string is cut so that a message stays readable.
    private static string Describe(object value)
    {
        string text = value is System.Collections.IEnumerable and not string ? "a " + (value is System.Collections.IDictionary ? "JSON object" : "JSON array") : Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
        return text.Length <= 100 ? text : text[..100] + "…";
    }
}
