using System.Text.Json;
using System.Text.Json.Nodes;
using Framework.Training.Saving;

namespace Framework.Training.Persistence;

/// <summary>The configuration documents of a whole-model Keras file, built from a model and turned back into one.</summary>
internal static class KerasModelDocument
{
    /// <summary>The framework's config tree of <paramref name="model"/> (<c>Saving/ModelConfigJson</c>) as a JSON node, with a
    /// leading <c>InputLayer</c> so Keras can build the model before assigning weights.</summary>
    /// <param name="model">A built model.</param>
    /// <param name="keras3">Whether the InputLayer uses Keras 3's <c>batch_shape</c> (else Keras 2's <c>batch_input_shape</c>).</param>
    /// <exception cref="NotSupportedException">A config holds a value JSON cannot.</exception>
    public static JsonObject Tree(Model model, bool keras3)
    {
        JsonObject tree;
        try
        {
            tree = JsonSerializer.SerializeToNode(ModelConfigJson.From(model))!.AsObject();
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException)
        {
            throw new NotSupportedException($"Model.Save: the configuration of '{model.Name}' holds a value that cannot be written as JSON: {e.Message}", e);
        }
        if (tree["build_config"]?["input_shape"] is JsonArray shape && tree["config"]?["layers"] is JsonArray layers
            && layers.FirstOrDefault()?["class_name"]?.GetValue<string>() != "InputLayer")
        {
            layers.Insert(0, new JsonObject
            {
                ["class_name"] = "InputLayer",
                ["config"] = new JsonObject
                {
                    [keras3 ? "batch_shape" : "batch_input_shape"] = shape.DeepClone(),
                    ["dtype"] = "float32", ["sparse"] = false, ["ragged"] = false, ["name"] = $"{model.Name}_input",
                },
            });
            tree["config"]!["build_input_shape"] = shape.DeepClone();
        }
        return tree;
    }

    /// <summary>Re-creates the model a Keras configuration describes (built and compiled as it says).</summary>
    /// <exception cref="InvalidDataException">The configuration is malformed, or gives no input shape.</exception>
    /// <exception cref="InvalidOperationException">A class name is not registered.</exception>
    public static Model Create(JsonNode model, JsonNode? training, string path)
    {
        var created = ModelConfigJson.Read(KerasModelConfig.ToFramework(model, training, path), path);
        return created.IsBuilt ? created
            : throw new InvalidDataException($"Model.Load: '{path}': the model config gives no input shape (no InputLayer, batch_input_shape or build_config), so its weights cannot be placed.");
    }

    /// <summary>Parses JSON text from a Keras file.</summary>
    /// <exception cref="InvalidDataException">The text is not a JSON object.</exception>
    public static JsonNode Parse(string json, string path, string what)
    {
        try
        {
            return JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }) as JsonObject
                ?? throw new InvalidDataException($"Model.Load: '{path}': {what} is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Model.Load: '{path}': {what} is not valid JSON ({e.Message}).", e);
        }
    }
}
