using System.Runtime.CompilerServices;

namespace Framework.Tests.Helpers;

/// <summary>Finds files of the repository (the folder holding <c>Framework.sln</c>) and of <c>../shared</c> next to it.</summary>
public static class RepoPaths
{
    /// <summary>The repository root, found by walking up from this source file.</summary>
    public static string Root([CallerFilePath] string here = "")
    {
        var dir = new DirectoryInfo(Path.GetDirectoryName(here)!);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Framework.sln"))) dir = dir.Parent;
        Assert.That(dir, Is.Not.Null, "repository root (Framework.sln) not found above the test sources");
        return dir!.FullName;
    }

    /// <summary>A path inside the repository.</summary>
    public static string InRepo(string relative) => Path.Combine(Root(), relative);

    /// <summary>A path inside the shared fixtures folder, <c>../shared/fixtures</c> from the repository root.</summary>
    public static string Fixture(string relative) => Path.GetFullPath(Path.Combine(Root(), "..", "shared", "fixtures", relative));
}
