using Framework.Tensors;
using Framework.Torch.Build;
using TorchSharp;

namespace Framework.Tests.Torch;

/// <summary>The libtorch backend loads from a plain build, and the build step changes exactly one flag byte, only when needed.</summary>
public class TorchLoadTests
{
    private const string Version = "GLIBCXX_3.4.32";

    [Test]
    public void TorchCpu_LoadsAndComputes()
    {
        var a = Tensor.FromArray(new float[] { 1, 2, 3, 4 }, 2, 2).To(Device.TorchCpu);
        var y = a.MatMul(a);
        Assert.That(y.Device, Is.EqualTo(Device.TorchCpu));
        Assert.That(y.ToArray<float>(), Is.EqualTo(new float[] { 7, 10, 15, 22 }));
    }

    [Test]
    public void OutputCopy_DiffersFromThePackageOnlyInTheWeakFlag_WhenTheSystemLibstdcxxIsOld()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("The libstdc++ version check concerns Linux builds only.");
        string output = Path.Combine(TestContext.CurrentContext.TestDirectory, "runtimes/linux-x64/native/libLibTorchSharp.so");
        var original = File.ReadAllBytes(PackageCopy());
        var built = File.ReadAllBytes(output);
        long flags = WeakVersionNeed.FlagsOffset(original, Version);
        Assert.That(flags, Is.GreaterThan(0), $"the packaged library no longer requires {Version}; the build step can go");
        Assert.That(built, Has.Length.EqualTo(original.Length));
        var differing = Enumerable.Range(0, original.Length).Where(i => original[i] != built[i]).ToArray();
        if (SystemLibstdcxxDefines(Version))
        {
            Assert.That(differing, Is.Empty, "a new enough libstdc++ must leave the library as packaged");
            return;
        }
        Assert.That(differing, Is.EqualTo(new[] { (int)flags }), "only the vna_flags byte of the GLIBCXX_3.4.32 entry may change");
        Assert.That(built[flags], Is.EqualTo(original[flags] | 0x2), "VER_FLG_WEAK set, other flag bits kept");
    }

    [Test]
    public void Weaken_SetsOnlyThatEntrysFlag_AndRejectsWhatIsNotElf()
    {
        var original = File.ReadAllBytes(PackageCopy());
        var patched = WeakVersionNeed.Weaken(original, Version);
        long flags = WeakVersionNeed.FlagsOffset(original, Version);
        Assert.That(Enumerable.Range(0, original.Length).Count(i => original[i] != patched[i]), Is.EqualTo(1));
        Assert.That(patched[flags] & 0x2, Is.EqualTo(0x2));
        Assert.That(WeakVersionNeed.Weaken(patched, Version), Is.EqualTo(patched), "idempotent");
        Assert.That(WeakVersionNeed.FlagsOffset(original, "GLIBCXX_9.9.99"), Is.EqualTo(-1));
        Assert.Throws<InvalidDataException>(() => WeakVersionNeed.FlagsOffset(new byte[100], Version));
        var truncated = original.AsSpan(0, 4096).ToArray();
        Assert.Throws<InvalidDataException>(() => WeakVersionNeed.FlagsOffset(truncated, Version));
    }

    /// <summary>The library as restored into the NuGet cache (which the build step only reads).</summary>
    private static string PackageCopy()
    {
        string root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var version = typeof(torch).Assembly.GetName().Version!;
        string path = Path.Combine(root, "torchsharp", $"{version.Major}.{version.Minor}.{version.Build}", "runtimes/linux-x64/native/libLibTorchSharp.so");
        Assert.That(File.Exists(path), Is.True, $"TorchSharp's native glue not found in the package cache at {path}");
        return path;
    }

    private static bool SystemLibstdcxxDefines(string version)
    {
        string[] candidates = ["/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6"];
        string? found = candidates.FirstOrDefault(File.Exists);
        return found is not null && WeakVersionNeed.Defines(File.ReadAllBytes(found), version);
    }
}
