using System.Diagnostics;
using Framework.Tests.Serialization;

namespace Framework.Tests.Training.Resume;

/// <summary>A training process with BackupAndRestore is killed with SIGKILL at random batches and started again until it
/// finishes; its final weights, history and CSV log must equal an uninterrupted run's, byte for byte.</summary>
public class KilledTrainingTests
{
    private const int BatchDelayMs = 3;

    private TempDirectory _reference = null!;

    /// <summary>One uninterrupted run, shared by every kill schedule.</summary>
    [OneTimeSetUp]
    public void RunReference()
    {
        Assert.That(File.Exists(WorkerPath()), Is.True, $"the resume worker is built with the tests: {WorkerPath()}");
        _reference = new TempDirectory();
        RunToEnd(_reference.File("backup"), _reference.File("reference"));
    }

    [OneTimeTearDown]
    public void DeleteReference() => _reference.Dispose();

    private static string WorkerPath() => Helpers.RepoPaths.TestProgram("Framework.ResumeWorker");

    private static Process Start(string backup, string output)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { WorkerPath(), backup, output, BatchDelayMs.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            psi.ArgumentList.Add(arg);
        return Process.Start(psi)!;
    }

    /// <summary>Runs the worker to completion; returns its standard error.</summary>
    private static string RunToEnd(string backup, string output)
    {
        using var process = Start(backup, output);
        var errors = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEnd();
        Assert.That(process.WaitForExit(120_000), Is.True, "the worker finished");
        Assert.That(process.ExitCode, Is.Zero, $"the worker failed: {errors.Result}");
        return errors.Result;
    }

    /// <summary>Starts the worker and kills it once it has reported <paramref name="batches"/> batches; false if it finished first.</summary>
    private static bool RunAndKill(string backup, string output, int batches)
    {
        using var process = Start(backup, output);
        _ = process.StandardError.ReadToEndAsync();
        for (int seen = 0; seen < batches;)
        {
            var line = process.StandardOutput.ReadLineAsync();
            Assert.That(line.Wait(TimeSpan.FromSeconds(120)), Is.True, "the worker made progress");
            if (line.Result is null) break;
            if (line.Result.StartsWith("batch ", StringComparison.Ordinal)) seen++;
        }
        bool killed = !process.HasExited;
        process.Kill();   // SIGKILL on Unix
        process.WaitForExit();
        return killed;
    }

    [TestCase(20261122, TestName = "KilledAtRandomBatches_Seed20261122_ResumesBitIdentical")]
    [TestCase(4242, TestName = "KilledAtRandomBatches_Seed4242_ResumesBitIdentical")]
    public void KilledAtRandomBatches_ResumesBitIdentical(int seed)
    {
        using var dir = new TempDirectory();

        var random = new Random(seed);
        string backup = dir.File("backup");
        int kills = 0;
        // The worker runs 23 batches per epoch for 5 epochs; each run is killed after a random number of its own batches.
        for (int attempt = 0; attempt < 3; attempt++)
            kills += RunAndKill(backup, dir.File("run"), random.Next(1, 40)) ? 1 : 0;
        RunToEnd(backup, dir.File("run"));

        Assert.That(kills, Is.GreaterThanOrEqualTo(2), "the worker was really killed mid-run");
        foreach (string suffix in new[] { ".weights", ".history.json", ".csv" })
            Assert.That(File.ReadAllBytes(dir.File("run" + suffix)), Is.EqualTo(File.ReadAllBytes(_reference.File("reference" + suffix))), $"{suffix} differs from the uninterrupted run");
        Assert.That(Directory.Exists(backup), Is.False, "the finished run deleted its backup");
    }
}
