using System.Diagnostics;

namespace Framework.Tests.Serialization.Checkpoints;

/// <summary>A run of <c>Framework.CrashWorker</c> on one save path, read line by line: which states it announced and
/// confirmed, and where it paused (see the protocol in the worker's Program.cs).</summary>
internal sealed class CrashChild : IDisposable
{
    private static readonly TimeSpan LineTimeout = TimeSpan.FromSeconds(120);
    private readonly Process _process;
    private readonly Task<string> _errors;

    /// <summary>Starts the worker: <paramref name="path"/> into <paramref name="directory"/>, states from <paramref name="first"/>.</summary>
    /// <param name="pauseAt">The file-system step to pause at (FRAMEWORK_CRASH_PAUSE_AT), or null for none.</param>
    public CrashChild(string path, string directory, long first, int counted, long? pauseAt)
    {
        string worker = Helpers.RepoPaths.TestProgram("Framework.CrashWorker");
        Assert.That(File.Exists(worker), Is.True, $"the crash worker is built with the tests: {worker}");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { worker, path, directory, first.ToString(System.Globalization.CultureInfo.InvariantCulture), counted.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            psi.ArgumentList.Add(arg);
        if (pauseAt is { } n) psi.Environment["FRAMEWORK_CRASH_PAUSE_AT"] = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _process = Process.Start(psi)!;
        _errors = _process.StandardError.ReadToEndAsync();
    }

    /// <summary>The newest state announced ("saving S"), or null.</summary>
    public long? Announced { get; private set; }

    /// <summary>The newest state whose save returned ("saved S"), or null.</summary>
    public long? Confirmed { get; private set; }

    /// <summary>The step the worker paused at ("crash-point N KIND PATH"), once it did.</summary>
    public string? PausedAt { get; private set; }

    /// <summary>Reads lines until one satisfies <paramref name="stop"/>; returns it, or null at the end of the output.</summary>
    public string? ReadUntil(Func<string, bool> stop)
    {
        while (true)
        {
            var next = _process.StandardOutput.ReadLineAsync();
            if (!next.Wait(LineTimeout)) Assert.Fail($"the crash worker said nothing for {LineTimeout.TotalSeconds} s; its errors: {Errors()}");
            string? line = next.Result;
            if (line is null) return null;
            if (line.StartsWith("saving ", StringComparison.Ordinal)) Announced = long.Parse(line[7..], System.Globalization.CultureInfo.InvariantCulture);
            else if (line.StartsWith("saved ", StringComparison.Ordinal)) Confirmed = long.Parse(line[6..], System.Globalization.CultureInfo.InvariantCulture);
            else if (line.StartsWith("crash-point ", StringComparison.Ordinal)) PausedAt = line;
            if (stop(line)) return line;
        }
    }

    /// <summary>Kills the worker with SIGKILL, waits for it to be gone, and reads what it wrote before it died.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
        ReadUntil(_ => false);
    }

    /// <summary>Waits for a worker that said "done" to exit, and checks it exited cleanly.</summary>
    public void AssertExitedCleanly()
    {
        Assert.That(_process.WaitForExit(60_000), Is.True, "the crash worker exited after its saves");
        Assert.That(_process.ExitCode, Is.Zero, $"the crash worker failed: {Errors()}");
    }

    /// <summary>The worker's standard error so far (complete once it exited).</summary>
    public string Errors() => _errors.IsCompleted ? _errors.Result : "(still running)";

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}
