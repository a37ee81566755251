using System.Text.Json;
using Framework.Layers;

namespace Framework.Training.Saving;

/// <summary>Creates the layers (and a subclassed model) config.json names, through <see cref="LayerRegistry"/> only; a factory's
/// refusal becomes an <see cref="InvalidDataException"/> naming the file and the JSON path of the offending value.</summary>
internal static class LayerFactory
{
    /// <summary>The layer of class <paramref name="className"/> made from the config object at <paramref name="where"/>.</summary>
    /// <exception cref="InvalidOperationException">The class is not registered (the file is fine: register the class).</exception>
    /// <exception cref="InvalidDataException">The factory refuses the config; the message names the file and
    /// <c>where.config.key</c> when the refused key is known, else <c>where</c>.</exception>
    public static Layer Create(string className, JsonElement config, string path, string where)
    {
        if (!LayerRegistry.IsRegistered(className))
        {
            throw LoadError.Tag(new InvalidOperationException($"Model.Load: '{path}' at {where}: class_name '{className}' is not registered. Registered classes: {string.Join(", ", LayerRegistry.RegisteredNames)}. " +
                $"Register a custom layer or model with LayerRegistry.Register<T>(\"{className}\", config => ...) before Model.Load."), path, LoadError.Join(where, "class_name"));
        }
        // The root's config is "config"; a layer's is "config.layers[i].config".
        string configPath = where == "config" ? where : LoadError.Join(where, "config");
        var values = JsonFile.ToConfig(config);
        try
        {
            return LayerRegistry.Create(className, values);
        }
        catch (Exception e) when (IsRefusal(e))
        {
            string at = KeyOf(e, values) is { } key ? LoadError.Join(configPath, key) : configPath;
            throw LoadError.At(path, at, $"'{className}' cannot be re-created from its config: {e.Message}", e);
        }
    }

    /// <summary>Whether <paramref name="e"/> is how a factory or a layer refuses a value (not a bug or an exhausted process).</summary>
    public static bool IsRefusal(Exception e) =>
        e is ArgumentException or InvalidOperationException or FormatException or InvalidCastException or OverflowException
            or NotSupportedException or KeyNotFoundException or IndexOutOfRangeException or JsonException
        && !LoadError.IsTagged(e);

    // ConfigReader names the key it refused; a layer's constructor names its parameter (units, useBias), which is the
    // config key in snake case.
    private static string? KeyOf(Exception e, Dictionary<string, object?> values)
    {
        if (e.Data[ConfigReader.KeyDataName] is string key) return key;
        if (e is ArgumentException { ParamName: { } parameter })
        {
            string snake = Persistence.KerasNaming.ToSnakeCase(parameter);
            if (values.ContainsKey(snake)) return snake;
            if (values.ContainsKey(parameter)) return parameter;
        }
        return null;
    }
}
