using System.Text.Json;

namespace Framework.Training.Saving;

/// <summary>Reads and writes the JSON files of a saved model; every read error names the file and the JSON path of the entry.</summary>
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

    /// <summary>Parses <paramref name="path"/> (at most <paramref name="maxBytes"/> long), checks every string in it, and returns its root object.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is too large, not JSON, nested too deeply, holds a string that is not valid
    /// Unicode or too long, or its root is not an object; the message names the file and where.</exception>
    public static JsonElement ReadObject(string path, long maxBytes)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Model.Load: '{path}' is missing; the directory is not a complete saved model.", path);
        long length = new FileInfo(path).Length;
        if (length > maxBytes)
            throw LoadError.At(path, "the whole file", $"it is {length:N0} bytes; a saved model's {Path.GetFileName(path)} may be at most {maxBytes:N0} (SavedModelLimits).");
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { MaxDepth = SavedModelLimits.MaxJsonDepth });
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is { } line ? $"line {line + 1}, byte {e.BytePositionInLine + 1}" : "the whole file";
            throw LoadError.At(path, where, $"not valid JSON ({e.Message})", e);
        }
        if (root.ValueKind != JsonValueKind.Object) throw LoadError.At(path, "the root", $"the file must hold a JSON object; found {root.ValueKind}.");
        CheckStrings(root, path, "");
        return root;
    }

    /// <summary>The property <paramref name="key"/> of the object at <paramref name="where"/> with the given kind.</summary>
    /// <exception cref="InvalidDataException">The property is missing or has another kind; the message names the file and the JSON path.</exception>
    public static JsonElement Required(JsonElement obj, string key, JsonValueKind kind, string path, string where)
    {
        string at = LoadError.Join(where, key);
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(key, out var value))
            throw LoadError.At(path, at, $"missing; \"{key}\" is required{(where.Length == 0 ? " in the root object" : $" in {where}")}.");
        return value.ValueKind == kind ? value : throw LoadError.At(path, at, $"\"{key}\" must be {kind}; found {value.ValueKind}.");
    }

    /// <summary>The property <paramref name="key"/> of <paramref name="obj"/>, or null when absent or JSON null.</summary>
    public static JsonElement? Optional(JsonElement obj, string key) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>The optional property <paramref name="key"/> with the given kind, or null when absent or JSON null.</summary>
    /// <exception cref="InvalidDataException">The property has another kind; the message names the file and the JSON path.</exception>
    public static JsonElement? Optional(JsonElement obj, string key, JsonValueKind kind, string path, string where) =>
        Optional(obj, key) is not { } value ? null
        : value.ValueKind == kind ? value
        : throw LoadError.At(path, LoadError.Join(where, key), $"\"{key}\" must be {kind} or absent; found {value.ValueKind}.");

    /// <summary>A JSON object as the configuration dictionary factories read (values stay <see cref="JsonElement"/>s).</summary>
    public static Dictionary<string, object?> ToConfig(JsonElement obj) =>
        obj.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone(), StringComparer.Ordinal);

    // Every string and property name must decode (invalid UTF-8 and lone surrogate escapes only fail when read, deep inside a
    // factory, as an InvalidOperationException naming nothing) and stay within the length bound. One pass over the tree.
    private static void CheckStrings(JsonElement element, string path, string where)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name = Decode(() => property.Name, path, where.Length == 0 ? "a property name of the root object" : $"a property name in {where}");
                    CheckStrings(property.Value, path, LoadError.Join(where, name));
                }
                break;
            case JsonValueKind.Array:
                int i = 0;
                foreach (var item in element.EnumerateArray()) CheckStrings(item, path, $"{where}[{i++}]");
                break;
            case JsonValueKind.String:
                Decode(element.GetString, path, where);
                break;
        }
    }

    private static string Decode(Func<string?> read, string path, string where)
    {
        string text;
        try
        {
            text = read() ?? "";
        }
        catch (InvalidOperationException e)
        {
            throw LoadError.At(path, where, $"a string is not valid UTF-8 or UTF-16 ({e.Message}).", e);
        }
        return text.Length <= SavedModelLimits.MaxStringLength ? text
            : throw LoadError.At(path, where, $"a string of {text.Length:N0} characters; at most {SavedModelLimits.MaxStringLength:N0} are accepted (SavedModelLimits).");
    }
}
