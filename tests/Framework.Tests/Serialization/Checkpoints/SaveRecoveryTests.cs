using System.Diagnostics;
using Framework.Serialization;
using Framework.Tensors;
using Framework.Tests.Training.Callbacks;
using Framework.Training;

namespace Framework.Tests.Serialization.Checkpoints;

/// <summary>Regression tests for issue 12's save-path defects that need no child process to kill (the crash suite,
/// <see cref="SavePathCrashTests"/>, kills one at every step), and the two-process directory lock.</summary>
public class SaveRecoveryTests
{
    private static Sequential Model(double seedShift)
    {
        var model = ModelCheckpointTestKit.CompiledBuiltIn();
        model.Predict(Tensor.Zeros([1, 4]));
        foreach (var w in model.Weights)
        {
            using var value = Tensor.Full(w.Shape, (float)seedShift);
            w.Assign(value);
        }
        return model;
    }

    private static float[] Values(Model model) => [.. model.Weights.SelectMany(w => w.Value.ToArray<float>())];

    [Test]
    public void SaveWeights_KilledBetweenTheDataAndTheIndexRename_LoadsThePreviousWeights()
    {
        // Defect 2: new data under the old index. The recovery pair the writer links before its renames is used instead.
        using var dir = new TempDirectory();
        string prefix = dir.File("weights"), data = BundleNaming.DataPath(prefix, 0, 1);
        Model(1).SaveWeights(prefix);
        BundleRecovery.Preserve(prefix);                       // what the next save does first
        Model(2).SaveWeights(dir.File("next"));
        File.Move(BundleNaming.DataPath(dir.File("next"), 0, 1), data, overwrite: true);   // its data rename; then the kill

        var fresh = Model(0);
        fresh.LoadWeights(prefix);
        Assert.That(Values(fresh), Is.All.EqualTo(1f), "the previous weights, complete");
        using (var reader = new CheckpointReader(prefix))
            Assert.That(reader.Prefix, Is.EqualTo(prefix + ".previous"), "CheckpointReader reads the complete pair too");

        // The next save completes normally and removes the recovery pair: only what TensorFlow reads is left.
        Model(3).SaveWeights(prefix);
        fresh.LoadWeights(prefix);
        Assert.That(Values(fresh), Is.All.EqualTo(3f));
        Assert.That(dir.FileNames().Where(f => f.StartsWith("weights", StringComparison.Ordinal)),
            Is.EqualTo(new[] { "weights.data-00000-of-00001", "weights.index" }));
        BundleCheck.AssertValid(prefix);
    }

    [Test]
    public void SaveWeights_KilledAfterTheIndexRename_LoadsTheNewWeights()
    {
        // The recovery pair outlived a completed replacement: the main pair verifies, so it is the one read.
        using var dir = new TempDirectory();
        string prefix = dir.File("weights");
        Model(1).SaveWeights(prefix);
        BundleRecovery.Preserve(prefix);
        Model(2).SaveWeights(dir.File("next"));
        File.Move(BundleNaming.DataPath(dir.File("next"), 0, 1), BundleNaming.DataPath(prefix, 0, 1), overwrite: true);
        File.Move(dir.File("next.index"), prefix + ".index", overwrite: true);

        var fresh = Model(0);
        fresh.LoadWeights(prefix);
        Assert.That(Values(fresh), Is.All.EqualTo(2f));

        // The next save must keep the newer complete bundle, not the outdated recovery pair, in case it is killed too.
        BundleRecovery.Preserve(prefix);
        fresh.LoadWeights(prefix + ".previous");
        Assert.That(Values(fresh), Is.All.EqualTo(2f), "the recovery pair now holds the newest complete save");
    }

    [Test]
    public void ModelCheckpoint_WholeModelFixedPath_KilledBetweenTheTwoRenames_RestoreLatestLoadsThePreviousSave()
    {
        // Defect 3: P was renamed to P.previous and the kill came before P.saving became P.
        using var dir = new TempDirectory();
        var (x, y) = Helpers.ToyData.Blobs(32);
        var model = ModelCheckpointTestKit.CompiledBuiltIn();
        model.Fit(x, y, epochs: 1, verbose: 0, callbacks: [new ModelCheckpoint(dir.File("model"), saveWeightsOnly: false)]);
        var saved = model.GetWeightValues();
        Directory.Move(dir.File("model"), dir.File("model.previous"));

        var restored = new ModelCheckpoint(dir.File("model")).RestoreLatest(ModelCheckpointTestKit.CompiledBuiltIn());
        Assert.That(restored, Is.Not.Null, "the previous complete save is found");
        Assert.That(restored!.Path, Is.EqualTo(dir.File("model")));
        Assert.That(restored.Model.GetWeightValues(), Is.EqualTo(saved));
    }

    [Test]
    public void RemoveLeftovers_RemovesOnlyOurOwnOldUnlockedTemporaries()
    {
        // Defect 9: what killed saves left, never files we did not write or a live save's.
        using var dir = new TempDirectory();
        var old = DateTime.UtcNow - TimeSpan.FromHours(1);
        string ours = dir.File("ckpt-3.data-00000-of-00001" + AtomicFile.TempMarker + "0123456789abcdef");
        string fresh = dir.File("ckpt-4.index" + AtomicFile.TempMarker + "00000000000000ff");
        string locked = dir.File("checkpoint" + AtomicFile.TempMarker + "fedcba9876543210");
        string tensorflows = dir.File("ckpt-5.index.tempstate1234567890123456");
        string users = dir.File("notes.tempstate-backup");
        foreach (string f in new[] { ours, fresh, locked, tensorflows, users }) File.WriteAllText(f, "x");
        foreach (string f in new[] { ours, locked, tensorflows, users }) File.SetLastWriteTimeUtc(f, old);

        using (new FileStream(locked, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            Model(1).SaveWeights(dir.File("weights"));          // a save into the directory cleans it

        Assert.That(File.Exists(ours), Is.False, "an old, unlocked temporary of ours is a leftover");
        Assert.That(File.Exists(fresh), Is.True, "a recent one may belong to a live save");
        Assert.That(File.Exists(locked), Is.True, "a locked one belongs to a live save");
        Assert.That(File.Exists(tensorflows), Is.True, "TensorFlow's temporaries are not ours");
        Assert.That(File.Exists(users), Is.True, "neither are other files");
    }

    [Test]
    public void CheckpointManager_SecondProcessSavingIntoTheSameDirectory_FailsClearlyAndLosesNothing()
    {
        // Defect 10: the crash worker's manager loop (tests/Framework.CrashWorker) in a second process.
        using var dir = new TempDirectory();
        var weights = Enumerable.Range(0, 4).Select(i => new Variable(Tensor.Full(new Shape(64 * 1024), 7f), $"w{i}", trainable: false)).ToArray();
        var step = new Variable(Tensor.Scalar(7L, DType.Int64), "step", trainable: false);
        var checkpoint = new Checkpoint([.. weights.Select((w, i) => ($"w{i}", (Trackable)w)), ("step", step)]);
        using (var manager = new CheckpointManager(checkpoint, dir.Path, maxToKeep: 3))
        {
            string first = manager.Save()!;
            var (exitCode, output) = RunWorkerUntilSavedOrExit(dir.Path);
            Assert.That(exitCode, Is.Not.Zero, "the second writer stops");
            Assert.That(output, Does.Contain("in use by another process").And.Contain(dir.Path).And.Contain(DirectoryLock.FileName));
            Assert.That(CheckpointState.LatestCheckpoint(dir.Path), Is.EqualTo(first), "nothing of the first writer's was replaced");
            Assert.That(manager.Save(), Is.Not.Null, "the first writer goes on saving");
            using var sameProcess = new CheckpointManager(checkpoint, dir.Path, maxToKeep: 3);
            Assert.That(sameProcess.Save(), Is.Not.Null, "managers of one process share the lock");
        }
        // Released on Dispose: now the other process may write; killed while holding the lock, it releases it too.
        var (code, text) = RunWorkerUntilSavedOrExit(dir.Path);
        Assert.That(code, Is.EqualTo(-1), $"the worker saved after the lock was released: {text}");
        using var after = new CheckpointManager(checkpoint, dir.Path, maxToKeep: 3);
        Assert.That(after.Save(), Is.Not.Null, "a killed process holds no lock");
    }

    /// <summary>Starts the manager worker; kills it once it printed "saved" (returns -1) or returns its exit code and output.</summary>
    private static (int ExitCode, string Output) RunWorkerUntilSavedOrExit(string directory)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Helpers.RepoPaths.TestProgram("Framework.CrashWorker"));
        psi.ArgumentList.Add(directory);
        using var process = Process.Start(psi)!;
        var errors = process.StandardError.ReadToEndAsync();
        string? line;
        var output = new System.Text.StringBuilder();
        while ((line = process.StandardOutput.ReadLine()) is not null)
        {
            output.AppendLine(line);
            if (line == "saved")
            {
                process.Kill();
                process.WaitForExit();
                return (-1, output.ToString());
            }
        }
        Assert.That(process.WaitForExit(120_000), Is.True);
        return (process.ExitCode, output + errors.Result);
    }
}
