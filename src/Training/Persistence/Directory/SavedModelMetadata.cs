using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace Framework.Training.Saving;

/// <summary>The contents of a saved model's <c>metadata.json</c>: who wrote it, when, and the user's own entries.</summary>
/// <remarks>
/// The file is <c>{"framework_version": "0.1.0+abc", "date_saved": "2025-01-31T12:00:00.0000000Z", "user_metadata": {"key": "value"}}</c>:
/// the framework's assembly informational version, the save time in ISO 8601 UTC, and the dictionary given to
/// <see cref="Model.Save"/>. Read it with <see cref="Model.ReadMetadata"/>.
/// </remarks>
/// <param name="FrameworkVersion">The informational version of the framework that saved the model.</param>
/// <param name="DateSaved">When the save started, in UTC.</param>
/// <param name="UserMetadata">The metadata passed to <see cref="Model.Save"/> (empty when none was).</param>
public sealed record SavedModelMetadata(string FrameworkVersion, DateTimeOffset DateSaved, IReadOnlyDictionary<string, string> UserMetadata)
{
    /// <summary>The running framework's version, as written into new saves.</summary>
    public static string CurrentFrameworkVersion { get; } =
        typeof(Model).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(Model).Assembly.GetName().Version?.ToString() ?? "unknown";

    internal Dictionary<string, object?> ToJsonTree() => new()
    {
        ["framework_version"] = FrameworkVersion,
        ["date_saved"] = DateSaved.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        ["user_metadata"] = UserMetadata.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
    };

    internal static SavedModelMetadata Read(string path)
    {
        var root = JsonFile.ReadObject(path, SavedModelLimits.MaxMetadataBytes);
        string version = JsonFile.Required(root, "framework_version", JsonValueKind.String, path, "").GetString()!;
        string date = JsonFile.Required(root, "date_saved", JsonValueKind.String, path, "").GetString()!;
        if (!DateTimeOffset.TryParse(date, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var saved))
            throw LoadError.At(path, "date_saved", $"not an ISO 8601 date; found '{date}'.");
        var user = new Dictionary<string, string>(StringComparer.Ordinal);
        if (JsonFile.Optional(root, "user_metadata", JsonValueKind.Object, path, "") is { } entries)
        {
            foreach (var p in entries.EnumerateObject())
            {
                user[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()!
                    : throw LoadError.At(path, $"user_metadata.{p.Name}", $"a user metadata value must be a string; found {p.Value.ValueKind}.");
            }
        }
        return new SavedModelMetadata(version, saved, user);
    }
}
