using System.Diagnostics;
using Framework.Tests.Helpers;
using Framework.Tests.Serialization;
using Framework.Torch.Build;
using TorchSharp;

namespace Framework.Tests.Torch;

/// <summary>
/// <c>dotnet publish</c> of an application on the libtorch backend (tests/Framework.PublishCheck: Framework.Torch and
/// TorchSharp-cpu, as a user references them) yields a folder that runs on libtorch: the publish step patches its own
/// copy of libLibTorchSharp.so where the system libstdc++ is too old, as the build step does for the build output.
/// </summary>
/// <remarks>
/// The application is built with the tests (a project reference), so the test only publishes (<c>--no-build</c>) and
/// runs it: about 10 s. Publishing hard-links the native libraries where it can instead of copying half a gigabyte;
/// the patch replaces its file by rename, so the package cache behind the links stays as restored (checked below).
/// </remarks>
public class PublishTests
{
    private const string Version = "GLIBCXX_3.4.32";
    private const string Glue = "runtimes/linux-x64/native/libLibTorchSharp.so";

    [Test]
    public void Publish_OfAnApplicationOnTheTorchBackend_RunsFromThePublishFolder()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("The libstdc++ patch and this published layout concern Linux.");
        using var dir = new TempDirectory();
        string project = RepoPaths.InRepo("tests/Framework.PublishCheck/Framework.PublishCheck.csproj");
        string configuration = new DirectoryInfo(TestContext.CurrentContext.TestDirectory).Parent!.Name;
        var publish = Run("dotnet", dir.Path, "publish", project, "-c", configuration, "--no-build", "-o", dir.Path,
            "-p:CreateHardLinksForPublishFilesIfPossible=true", "-nodeReuse:false", "-nologo");
        Assert.That(publish.ExitCode, Is.Zero, $"dotnet publish failed:\n{publish.Output}");

        var package = File.ReadAllBytes(PackageCopy());
        var published = File.ReadAllBytes(Path.Combine(dir.Path, Glue));
        long flags = WeakVersionNeed.FlagsOffset(package, Version);
        Assert.That(package[flags] & 0x2, Is.Zero, "the package cache keeps the library as restored");
        Assert.That(published[flags], Is.EqualTo(SystemLibstdcxxDefines() ? package[flags] : package[flags] | 0x2),
            "the published copy is weakened exactly when the system libstdc++ lacks " + Version);

        var run = Run("dotnet", dir.Path, Path.Combine(dir.Path, "Framework.PublishCheck.dll"));
        Assert.That(run.ExitCode, Is.Zero, $"the published application failed:\n{run.Output}");
        Assert.That(run.Output.Trim(), Is.EqualTo("torch-cpu 7 10 15 22 grad 3 7 3 7"));
    }

    private static (int ExitCode, string Output) Run(string program, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', arguments)} did not finish in 3 minutes:\n{output}");
        }
        return (process.ExitCode, output + error.Result);
    }

    /// <summary>The library as restored into the NuGet cache.</summary>
    private static string PackageCopy()
    {
        string root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var version = typeof(torch).Assembly.GetName().Version!;
        return Path.Combine(root, "torchsharp", $"{version.Major}.{version.Minor}.{version.Build}", Glue);
    }

    private static bool SystemLibstdcxxDefines()
    {
        string[] candidates = ["/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6"];
        string? found = candidates.FirstOrDefault(File.Exists);
        return found is not null && WeakVersionNeed.Defines(File.ReadAllBytes(found), Version);
    }
}
