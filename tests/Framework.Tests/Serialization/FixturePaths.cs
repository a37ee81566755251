namespace Framework.Tests.Serialization;

/// <summary>Locates the shared fixtures and tools: the repository root is found by walking up to <c>Framework.sln</c>.</summary>
internal static class FixturePaths
{
    private static readonly Lazy<string> s_shared = new(() =>
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Framework.sln")))
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
        }
        throw new InvalidOperationException("Framework.sln not found above the test assembly directory.");
    });

    /// <summary>The <c>../shared</c> folder beside the repository.</summary>
    public static string Shared => s_shared.Value;

    /// <summary>The fixtures folder.</summary>
    public static string Fixtures => Path.Combine(Shared, "fixtures");

    /// <summary>A file inside a fixture folder.</summary>
    public static string Fixture(string fixture, string file) => Path.Combine(Fixtures, fixture, file);
}
