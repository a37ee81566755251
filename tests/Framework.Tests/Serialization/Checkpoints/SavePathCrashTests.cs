using System.Globalization;
using Framework.Layers;
using Framework.Optimizers;
using Framework.Serialization;
using Framework.Tensors;
using Framework.Training;

namespace Framework.Tests.Serialization.Checkpoints;

/// <summary>Issue 12's crash test: every save path is killed with SIGKILL right before each file-system step of a save
/// (every fsync, rename, link and delete, paused there by the <c>SaveSteps</c> hook) and at random moments; after each
/// kill the latest checkpoint must load and hold exactly one of the saved states, never older than the last save that
/// returned.</summary>
/// <remarks>
/// <para>The worker (tests/Framework.CrashWorker) sets every weight of a small compiled model to the state number S
/// before saving it, so a restored model whose weights are not all one announced S is a mixed or invented checkpoint.
/// Each run first makes a set-up save (which also recovers from the previous kill), then the save whose steps are
/// counted: the sweep pauses at step 1, 2, … of that save until a run completes without reaching the step, so every step
/// of a warm save (one replacing or adding to existing checkpoints) is a kill point, whatever the earlier kills left.</para>
/// <para>Per CI run each path gets at least <see cref="MinKillsPerPath"/> kills (15 paths: at least 225), the crash points
/// plus random kills. For a longer run set <c>FRAMEWORK_CRASH_TEST_SCALE=N</c>: N sweeps over the crash points and N
/// times the random kills per path (docs/saving.md).</para>
/// </remarks>
[Category("Crash")]
[Parallelizable(ParallelScope.Children)]   // two paths at a time: the children mostly wait on start-up and the disk
public class SavePathCrashTests
{
    // 15 paths × 15: at least 225 kills per CI run (issue 12 asks for 200), in about the time 8 × 25 took.
    private const int MinKillsPerPath = 15;
    private const int MinRandomKills = 8;

    private static int Scale => int.TryParse(Environment.GetEnvironmentVariable("FRAMEWORK_CRASH_TEST_SCALE"), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : 1;

    private static readonly string[] Paths =
        ["weights", "model", "mc-weights-fixed", "mc-weights-template", "mc-model-fixed", "mc-model-template", "manager", "backup",
         "keras3-weights", "keras2-weights", "keras-model", "h5-model", "mc-keras-weights-fixed", "mc-keras-model-template",
         "backup-keras"];

    [TestCaseSource(nameof(Paths))]
    public void KilledBeforeEveryStepAndAtRandom_LatestCheckpointHoldsASavedState(string path)
    {
        using var dir = new TempDirectory();
        long next = 1, confirmed = 0;
        // Two complete saves first, so the counted saves replace and prune existing checkpoints.
        using (var setup = new CrashChild(path, dir.Path, next, counted: 1, pauseAt: null))
        {
            Assert.That(setup.ReadUntil(l => l == "done"), Is.EqualTo("done"), setup.Errors());
            setup.AssertExitedCleanly();
            (next, confirmed) = (setup.Announced!.Value + 1, setup.Confirmed!.Value);
        }
        var steps = new HashSet<string>(StringComparer.Ordinal);
        int kills = 0, crashPoints = 0;
        var random = new Random(20261206 + path.Length);
        for (int round = 0; round < Scale; round++)
        {
            for (long n = 1; ; n++)
            {
                using var child = new CrashChild(path, dir.Path, next, counted: 1, pauseAt: n);
                string? stop = child.ReadUntil(l => l == "done" || l.StartsWith("crash-point ", StringComparison.Ordinal));
                Assert.That(stop, Is.Not.Null, $"{path}: the worker died at step {n}: {child.Errors()}");
                if (stop == "done")
                {
                    child.AssertExitedCleanly();
                    (next, confirmed) = (child.Announced!.Value + 1, child.Confirmed!.Value);
                    break;
                }
                child.Kill();
                steps.Add(stop!.Split(' ')[2]);
                confirmed = AssertLatestIsASavedState(path, dir.Path, child, confirmed, $"killed at {stop}");
                next = child.Announced!.Value + 1;
                kills++;
                crashPoints++;
            }
        }
        // A single Keras file takes three (fsync, rename, directory fsync); bundles and directories take more.
        Assert.That(crashPoints, Is.GreaterThanOrEqualTo(3 * Scale), $"{path}: a warm save takes several file-system steps");
        Assert.That(steps, Does.Contain(nameof(SaveStep.Rename)).And.Contain(nameof(SaveStep.Fsync)), $"{path}: the steps killed before");
        int randomKills = Math.Max(MinRandomKills, MinKillsPerPath - crashPoints) * Scale;
        for (int i = 0; i < randomKills; i++)
        {
            using var child = new CrashChild(path, dir.Path, next, counted: 0, pauseAt: null);
            // Most kills land after the set-up save, during the stream of warm saves; every fourth during start-up or set-up.
            if (i % 4 != 0) Assert.That(child.ReadUntil(l => l.StartsWith("saved ", StringComparison.Ordinal)), Is.Not.Null, child.Errors());
            Thread.Sleep(random.Next(0, 80));
            child.Kill();
            confirmed = AssertLatestIsASavedState(path, dir.Path, child, confirmed, $"random kill {i}");
            if (child.Announced is { } announced) next = announced + 1;
            kills++;
        }
        Assert.That(kills, Is.GreaterThanOrEqualTo(MinKillsPerPath * Scale));
        TestContext.Out.WriteLine($"{path}: {kills} kills, {crashPoints} of them right before a file-system step ({string.Join(", ", steps.Order())})");
        AssertLeftoversRemovedByNextSave(path, dir.Path, next);
    }

    /// <summary>Restores the latest checkpoint of <paramref name="path"/> as a user would and checks it holds one state S
    /// with <paramref name="confirmed"/> ≤ S ≤ the newest announced; returns the new lower bound.</summary>
    private static long AssertLatestIsASavedState(string path, string directory, CrashChild child, long confirmed, string when)
    {
        Model model = Restore(path, directory);
        var values = model.Weights.SelectMany(w => w.Value.Cast(DType.Float32).ToArray<float>()).Distinct().ToArray();
        Assert.That(values, Has.Length.EqualTo(1), $"{path}, {when}: the restored weights mix states: {string.Join(", ", values.Take(5))}");
        long state = (long)values[0];
        Assert.That(values[0], Is.EqualTo(state), $"{path}, {when}: restored a value no save wrote");
        long newest = child.Announced ?? confirmed;
        Assert.That(state, Is.InRange(Math.Max(child.Confirmed ?? confirmed, confirmed), Math.Max(newest, confirmed)),
            $"{path}, {when}: restored state {state}; the last save that returned was {child.Confirmed ?? confirmed}, the newest begun {newest}");
        return state;
    }

    private static Model Restore(string path, string directory)
    {
        var (model, x, y) = CreateModel();
        switch (path)
        {
            case "weights":
                model.LoadWeights(Path.Combine(directory, "weights"));
                return model;
            case "model":
                return Model.Load(Path.Combine(directory, "model"));
            case "keras3-weights" or "keras2-weights":
                model.LoadWeights(Path.Combine(directory, KerasFile(path)));
                return model;
            case "keras-model" or "h5-model":
                return Model.Load(Path.Combine(directory, KerasFile(path)));
            case "manager":
                using (var manager = new CheckpointManager(new Checkpoint(("model", model)), directory, maxToKeep: 2))
                {
                    Assert.That(manager.RestoreOrInitialize(_ => { }), Is.Not.Null, "the manager found a checkpoint");
                    Assert.That(manager.SkippedOnRestore, Is.Empty, "the state file names only complete checkpoints");
                }
                return model;
            case "backup" or "backup-keras":
                var backup = new BackupAndRestore(directory, SaveFrequency.EveryBatches(1), deleteCheckpoint: false,
                    format: path == "backup-keras" ? BackupFormat.Keras : BackupFormat.TensorFlowCheckpoint);
                var stop = new LambdaCallback { TrainBegin = _ => throw new RestoredSignal() };
                Assert.Throws<RestoredSignal>(() => model.Fit(x, y, epochs: BackupEpochs, batchSize: 4, verbose: 0, shuffle: false, callbacks: [backup, stop]));
                Assert.That(backup.RestoredFrom, Is.Not.Null, "a backup was restored");
                return model;
            default:
                var result = Framework.CrashWorker.CrashCheckpoints.Create(path, directory).RestoreLatest(model);
                Assert.That(result, Is.Not.Null, "ModelCheckpoint.RestoreLatest found a checkpoint");
                if (!path.EndsWith("template", StringComparison.Ordinal)) Assert.That(result!.Skipped, Is.Empty, "a fixed path is never damaged");
                return result!.Model;
        }
    }

    /// <summary>Defect 9 end to end: the temporaries the kills left are removed by the next save once they are old.</summary>
    private static void AssertLeftoversRemovedByNextSave(string path, string directory, long next)
    {
        var leftovers = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Where(AtomicFile.IsTempName).ToList();
        // An hour passes: everything the kills left is now older than any live save could be.
        foreach (string entry in Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories))
        {
            if (Directory.Exists(entry)) Directory.SetLastWriteTimeUtc(entry, DateTime.UtcNow - TimeSpan.FromHours(1));
            else File.SetLastWriteTimeUtc(entry, DateTime.UtcNow - TimeSpan.FromHours(1));
        }
        using var child = new CrashChild(path, directory, next, counted: 1, pauseAt: null);
        Assert.That(child.ReadUntil(l => l == "done"), Is.EqualTo("done"), child.Errors());
        child.AssertExitedCleanly();
        var left = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Where(AtomicFile.IsTempName).ToList();
        Assert.That(left, Is.Empty, $"{path}: {leftovers.Count} temporaries were left by the kills; the next save removes them");
    }

    // The worker's model, data and callbacks (tests/Framework.CrashWorker/SavePaths.cs), built the same way to restore into.
    private const int BackupEpochs = 1_000_000;

    private static string KerasFile(string path) => path switch
    {
        "keras3-weights" => "x.weights.h5",
        "keras2-weights" => "x.h5",
        "keras-model" => "m.keras",
        "h5-model" => "m.h5",
        _ => throw new ArgumentException($"'{path}' is no Keras-format save path"),
    };

    private static (Model Model, Tensor X, Tensor Y) CreateModel()
    {
        // No global seed: the initial weights are overwritten by the restore, and the cases run in parallel.
        var data = new RandomGenerator(5);
        var x = Tensor.RandomNormal([16, 6], generator: data);
        var y = Tensor.RandomNormal([16, 3], generator: data);
        var model = new Sequential([new Dense(32, activation: "relu"), new Dense(3)]);
        model.Compile(new Adam(0.001), new MeanSquaredError());
        model.Fit(Tensor.Zeros([4, 6]), Tensor.Zeros([4, 3]), epochs: 1, batchSize: 4, verbose: 0);
        return (model, x, y);
    }

    private sealed class RestoredSignal : Exception;
}
