using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Framework.Serialization;

/// <summary>Throw helpers: one wording for every corrupt-file and missing-file error of this project.</summary>
internal static class Throw
{
    /// <summary>A corrupt or truncated file: names the file and where in it the problem is.</summary>
    [DoesNotReturn, StackTraceHidden]
    public static void InvalidData(string path, string message) =>
        throw new InvalidDataException($"Checkpoint file '{path}' is corrupt: {message}");

    /// <summary>A corrupt entry: names the file and the tensor key.</summary>
    [DoesNotReturn, StackTraceHidden]
    public static void InvalidEntry(string path, string key, string message) =>
        throw new InvalidDataException($"Checkpoint file '{path}' is corrupt at key '{key}': {message}");

    /// <summary>A corrupt entry, as an expression (for switch arms and conditionals).</summary>
    [DoesNotReturn, StackTraceHidden]
    public static T InvalidEntry<T>(string path, string key, string message) =>
        throw new InvalidDataException($"Checkpoint file '{path}' is corrupt at key '{key}': {message}");

    /// <summary>A file of a checkpoint that does not exist.</summary>
    [DoesNotReturn, StackTraceHidden]
    public static void FileNotFound(string path, string what) =>
        throw new FileNotFoundException($"{what} '{path}' does not exist.", path);

    /// <summary>A key that the bundle does not contain.</summary>
    [DoesNotReturn, StackTraceHidden]
    public static T KeyNotFound<T>(string path, string key) =>
        throw new KeyNotFoundException($"Checkpoint '{path}' has no tensor with key '{key}'.");

    /// <summary>An argument that is invalid for a reason other than its range.</summary>
    [DoesNotReturn, StackTraceHidden]
    public static void Argument(string paramName, string message) => throw new ArgumentException(message, paramName);

    /// <summary>An operation on an object in the wrong state.</summary>
    [DoesNotReturn, StackTraceHidden]
    public static void InvalidOperation(string message) => throw new InvalidOperationException(message);

    /// <summary>A feature of the format this reader does not implement.</summary>
    [DoesNotReturn, StackTraceHidden]
    public static void NotSupported(string message) => throw new NotSupportedException(message);
}
