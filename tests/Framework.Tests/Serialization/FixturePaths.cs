using Framework.Tests.Helpers;

namespace Framework.Tests.Serialization;

/// <summary>Locates the shared fixtures and tools beside the repository (see <see cref="RepoPaths"/>).</summary>
internal static class FixturePaths
{
    /// <summary>The <c>../shared</c> folder beside the repository.</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(RepoPaths.Root(), "..", "shared"));

    /// <summary>The fixtures folder.</summary>
    public static string Fixtures => Path.Combine(Shared, "fixtures");

    /// <summary>A file inside a fixture folder.</summary>
    public static string Fixture(string fixture, string file) => Path.Combine(Fixtures, fixture, file);
}
