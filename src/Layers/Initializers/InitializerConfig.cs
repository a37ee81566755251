namespace Framework.Layers;

/// <summary>Builds Keras's serialized form of an initializer or regularizer: <c>{"class_name": ..., "config": {...}}</c>.</summary>
internal static class InitializerConfig
{
    public static Dictionary<string, object?> Of(string className, Dictionary<string, object?> config) =>
        new() { ["class_name"] = className, ["config"] = config };
}
