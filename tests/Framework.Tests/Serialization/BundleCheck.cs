using System.Diagnostics;

namespace Framework.Tests.Serialization;

/// <summary>Runs the independent checker <c>../shared/tools/tfbundle_check.py</c> on a bundle we wrote.</summary>
internal static class BundleCheck
{
    /// <summary>Runs the checker; returns its exit code and combined output.</summary>
    public static (int ExitCode, string Output) Run(string prefix, params string[] extraArgs)
    {
        var psi = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(FixturePaths.Shared, "tools", "tfbundle_check.py"));
        psi.ArgumentList.Add(prefix);
        foreach (string a in extraArgs)
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }

    /// <summary>Asserts the checker accepts the bundle: exit 0 and no ERROR lines.</summary>
    public static void AssertValid(string prefix, params string[] extraArgs)
    {
        var (code, output) = Run(prefix, extraArgs);
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Not.Contain("ERROR"), output);
    }
}
