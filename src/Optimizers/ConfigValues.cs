using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace Framework.Optimizers;

/// <summary>Reads values from a config dictionary as written by <c>GetConfig</c> or read back from JSON.</summary>
/// <remarks>After a System.Text.Json round trip every value is a <see cref="JsonElement"/>, so each reader accepts both forms.</remarks>
internal sealed class ConfigValues(string owner, IReadOnlyDictionary<string, object?> config)
{
    public IReadOnlyDictionary<string, object?> Raw => config;

    public double Double(string key, double fallback) => OptionalDouble(key) ?? fallback;

    public double? OptionalDouble(string key) => Find(key) is { } value ? ToDouble(key, value) : null;

    public long Long(string key, long fallback) => OptionalDouble(key) is { } d
        ? d == Math.Floor(d) && Math.Abs(d) < 9e15 ? (long)d : throw Invalid(key, d, "an integer")
        : fallback;

    public bool Bool(string key, bool fallback) => Find(key) switch
    {
        null => fallback,
        bool b => b,
        JsonElement { ValueKind: JsonValueKind.True } => true,
        JsonElement { ValueKind: JsonValueKind.False } => false,
        var other => throw Invalid(key, other, "true or false"),
    };

    public string? String(string key) => Find(key) switch
    {
        null => null,
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
        var other => throw Invalid(key, other, "a string"),
    };

    /// <summary>A nested object (a schedule's config), or null when the value is absent or not an object.</summary>
    public ConfigValues? Object(string key) => AsDictionary(Find(key)) is { } d ? new ConfigValues(owner, d) : null;

    public IReadOnlyList<double> Doubles(string key) => Find(key) switch
    {
        JsonElement { ValueKind: JsonValueKind.Array } e => [.. e.EnumerateArray().Select(x => x.GetDouble())],
        IEnumerable items and not string => [.. items.Cast<object>().Select(x => ToDouble(key, x))],
        var other => throw Invalid(key, other ?? "null", "a list of numbers"),
    };

    public static IReadOnlyDictionary<string, object?>? AsDictionary(object? value) => value switch
    {
        IReadOnlyDictionary<string, object?> d => d,
        IDictionary<string, object?> d => d.ToDictionary(),
        JsonElement { ValueKind: JsonValueKind.Object } e => e.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value),
        _ => null,
    };

    private double ToDouble(string key, object value) => value switch
    {
        JsonElement { ValueKind: JsonValueKind.Number } e => e.GetDouble(),
        IConvertible c and not string and not bool => c.ToDouble(CultureInfo.InvariantCulture),
        _ => throw Invalid(key, value, "a number"),
    };

    private object? Find(string key) => config.TryGetValue(key, out var value) && value is not JsonElement { ValueKind: JsonValueKind.Null } ? value : null;

    private ArgumentException Invalid(string key, object value, string expected) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{owner} config: '{key}' must be {expected}; received {value}."), nameof(config));
}
