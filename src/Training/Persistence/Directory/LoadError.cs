namespace Framework.Training.Saving;

/// <summary>The exceptions of <see cref="Model.Load"/> and <see cref="Model.ReadMetadata"/> for a saved model's JSON files: each
/// names the file and the JSON path of the entry (<c>config.layers[0].config.units</c>).</summary>
/// <remarks>The file and the path are also in <see cref="Exception.Data"/> under <see cref="FileKey"/> and <see cref="JsonPathKey"/>,
/// for callers that report them separately.</remarks>
internal static class LoadError
{
    /// <summary>The <see cref="Exception.Data"/> key of the file's full path.</summary>
    public const string FileKey = "File";

    /// <summary>The <see cref="Exception.Data"/> key of the JSON path (or line and byte position for a syntax error).</summary>
    public const string JsonPathKey = "JsonPath";

    /// <summary>An <see cref="InvalidDataException"/>: <c>Model.Load: 'file' at path: problem</c>.</summary>
    public static InvalidDataException At(string file, string jsonPath, string problem, Exception? inner = null) =>
        Tag(new InvalidDataException($"Model.Load: '{file}' at {jsonPath}: {problem}", inner), file, jsonPath);

    /// <summary>Adds the file and JSON path to <paramref name="exception"/>'s data and returns it.</summary>
    public static T Tag<T>(T exception, string file, string jsonPath) where T : Exception
    {
        exception.Data[FileKey] = file;
        exception.Data[JsonPathKey] = jsonPath;
        return exception;
    }

    /// <summary>Whether <paramref name="exception"/> was made here (it already names its file and path).</summary>
    public static bool IsTagged(Exception exception) => exception.Data.Contains(JsonPathKey);

    /// <summary><c>parent.key</c>, or <c>key</c> at the root.</summary>
    public static string Join(string parent, string key) => parent.Length == 0 ? key : $"{parent}.{key}";
}
