using System.Diagnostics;
using Framework.Serialization;
using Framework.Tensors;

namespace Framework.Tests.Serialization.Checkpoints;

/// <summary>Kills a process that saves checkpoints in a loop with SIGKILL at random moments; the latest checkpoint must always restore.</summary>
public class CrashTests
{
    private const int Kills = 50;

    private static string WorkerPath() => Helpers.RepoPaths.TestProgram("Framework.CrashWorker");

    [Test]
    public void Save_KilledAtRandomMoments_LatestCheckpointAlwaysRestores()
    {
        string worker = WorkerPath();
        Assert.That(File.Exists(worker), Is.True, $"the crash worker is built with the tests: {worker}");
        using var dir = new TempDirectory();
        var random = new Random(20261122);
        long lastStep = 0;
        int restored = 0;
        for (int kill = 0; kill < Kills; kill++)
        {
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
            psi.ArgumentList.Add(worker);
            psi.ArgumentList.Add(dir.Path);
            using var process = Process.Start(psi)!;
            var ready = process.StandardOutput.ReadLineAsync();
            Assert.That(ready.Wait(TimeSpan.FromSeconds(60)), Is.True, "the worker started");
            Assert.That(ready.Result, Is.EqualTo($"ready {lastStep}"), "the worker resumed from the latest checkpoint");
            // Every fifth kill lands during start-up or the first (cold) save; the others during warm saves (about 30 ms each here).
            if (kill % 5 != 0)
            {
                var saved = process.StandardOutput.ReadLineAsync();
                Assert.That(saved.Wait(TimeSpan.FromSeconds(60)), Is.True, "the worker saved");
            }
            Thread.Sleep(random.Next(0, 60));
            process.Kill();   // SIGKILL on Unix
            process.WaitForExit();

            _ = CheckpointState.Load(dir.Path);   // must parse (null only before the first completed save)
            string? latest = CheckpointState.LatestCheckpoint(dir.Path);
            if (latest is null)
            {
                Assert.That(lastStep, Is.Zero, $"kill {kill}: a committed checkpoint disappeared");
                continue;
            }
            var weights = Enumerable.Range(0, 4).Select(i => new Variable(Tensor.Zeros(new Shape(64 * 1024)), $"w{i}", trainable: false)).ToArray();
            var step = new Variable(Tensor.Scalar(-1, DType.Int64), "step", trainable: false);
            new Checkpoint([.. weights.Select((w, i) => ($"w{i}", (Trackable)w)), ("step", step)]).Restore(latest).AssertConsumed();
            long s = step.Value.Item<long>();
            Assert.That(s, Is.GreaterThanOrEqualTo(lastStep), $"kill {kill}: the latest checkpoint went backwards");
            foreach (var w in weights)
                Assert.That(w.Value.ToArray<float>(), Is.All.EqualTo((float)s), $"kill {kill}: {latest} mixes saves");
            lastStep = s;
            restored++;
        }
        Assert.That(restored, Is.GreaterThanOrEqualTo(Kills * 4 / 5), "most kills happened after a completed save");
        // Each kill after a "saved" line adds at least one step; more when the machine is idle.
        Assert.That(lastStep, Is.GreaterThanOrEqualTo(restored - 1), "the workers made progress");
        // Kills that interrupted a write leave temporaries (never under a final name); the saves of the next minute
        // remove them (SavePathCrashTests checks that), so only temporaries of our own naming may be here.
        Assert.That(dir.FileNames().Where(f => f.Contains(".tempstate", StringComparison.Ordinal)), Is.All.Matches<string>(AtomicFile.IsTempName));
        BundleCheck.AssertValid(CheckpointState.LatestCheckpoint(dir.Path)!);
    }
}
