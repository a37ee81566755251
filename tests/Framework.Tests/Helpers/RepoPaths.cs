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

    /// <summary>The built program of a helper test project (a child process the tests start), for the tests' own configuration.</summary>
    /// <param name="project">The project folder under <c>tests/</c>, e.g. <c>Framework.CrashWorker</c>.</param>
    public static string TestProgram(string project)
    {
        // .../tests/Framework.Tests/bin/<Configuration>/<tfm>/ → .../tests/<project>/bin/<Configuration>/<tfm>/<project>.dll
        var testDir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        string tfm = testDir.Name, configuration = testDir.Parent!.Name;
        string tests = testDir.Parent.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(tests, project, "bin", configuration, tfm, project + ".dll");
    }

    /// <summary>A path inside the shared fixtures folder, <c>../shared/fixtures</c> from the repository root.</summary>
    public static string Fixture(string relative) => Path.GetFullPath(Path.Combine(Root(), "..", "shared", "fixtures", relative));
}
