using System.Text.Json;

namespace Framework.Training.Saving;

/// <summary>Reads and writes the JSON files of a saved model; every error names the file and what is wrong in it.</summary>
internal static class JsonFile
{
    private static readonly JsonSerializerOptions s_writeOptions = new() { WriteIndented = true };

    /// <summary>Serializes a tree of dictionaries, lists and JSON-ready values to UTF-8.</summary>
    /// <exception cref="NotSupportedException">A value has a type JSON cannot hold; the message names <paramref name="what"/>.</exception>
    public static byte[] Serialize(object tree, string what)
    {
        try
        {
            return JsonSerializer.SerializeToUtf8Bytes(tree, s_writeOptions);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException)
        {
            throw new NotSupportedException($"Model.Save: the {what} holds a value that cannot be written as JSON: {e.Message}", e);
        }
    }

    /// <summary>Parses <paramref name="path"/> and returns its root object.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not JSON, or its root is not an object.</exception>
    public static JsonElement ReadObject(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Model.Load: '{path}' is missing; the directory is not a complete saved model.", path);
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Model.Load: '{path}' is not valid JSON ({e.Message}).", e);
        }
        return root.ValueKind == JsonValueKind.Object ? root
            : throw new InvalidDataException($"Model.Load: '{path}' must hold a JSON object; found {root.ValueKind}.");
    }

    /// <summary>The property <paramref name="key"/> of <paramref name="obj"/> with the given kind.</summary>
    /// <exception cref="InvalidDataException">The property is missing or has another kind; the message names the file and the key path.</exception>
    public static JsonElement Required(JsonElement obj, string key, JsonValueKind kind, string path, string where)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(key, out var value))
            throw new InvalidDataException($"Model.Load: '{path}' has no \"{key}\" in {where}.");
        return value.ValueKind == kind ? value
            : throw new InvalidDataException($"Model.Load: '{path}': \"{key}\" in {where} must be {kind}; found {value.ValueKind}.");
    }

    /// <summary>The property <paramref name="key"/> of <paramref name="obj"/>, or null when absent or JSON null.</summary>
    public static JsonElement? Optional(JsonElement obj, string key) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>A JSON object as the configuration dictionary factories read (values stay <see cref="JsonElement"/>s).</summary>
    public static Dictionary<string, object?> ToConfig(JsonElement obj) =>
        obj.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone(), StringComparer.Ordinal);
}
