using System.Globalization;
using Framework.Serialization;
using Framework.Tensors;

namespace Framework.Tests.Serialization.Checkpoints;

public class CheckpointManagerTests
{
    private sealed class FakeClock(double start) : TimeProvider
    {
        public double Seconds { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch.AddTicks((long)(Seconds * TimeSpan.TicksPerSecond));
    }

    private static (Checkpoint Checkpoint, Variable Value) NewCheckpoint(float value = 0)
    {
        var w = new Variable(Tensor.Scalar(value), "w", trainable: false);
        return (new Checkpoint(("w", w)), w);
    }

    private static string[] Bundles(TempDirectory dir) =>
        [.. dir.FileNames().Where(f => f.EndsWith(".index", StringComparison.Ordinal)).Select(f => f[..^6])];

    [Test]
    public void Save_MaxToKeep_DeletesOldestAndWritesTensorFlowStateFile()
    {
        using var dir = new TempDirectory();
        var clock = new FakeClock(1000.5);
        var (checkpoint, _) = NewCheckpoint();
        var manager = new CheckpointManager(checkpoint, dir.Path, maxToKeep: 2, timeProvider: clock);
        for (int i = 0; i < 4; i++)
        {
            clock.Seconds += 10;
            manager.Save();
        }
        Assert.That(Bundles(dir), Is.EqualTo(new[] { "ckpt-3", "ckpt-4" }));
        Assert.That(dir.FileNames(), Does.Not.Contain("ckpt-2.data-00000-of-00001"));
        Assert.That(manager.Checkpoints, Is.EqualTo(new[] { dir.File("ckpt-3"), dir.File("ckpt-4") }));
        Assert.That(manager.LatestCheckpoint, Is.EqualTo(dir.File("ckpt-4")));
        Assert.That(File.ReadAllText(dir.File("checkpoint")), Is.EqualTo(
            "model_checkpoint_path: \"ckpt-4\"\n" +
            "all_model_checkpoint_paths: \"ckpt-3\"\n" +
            "all_model_checkpoint_paths: \"ckpt-4\"\n" +
            "all_model_checkpoint_timestamps: 1030.5\n" +
            "all_model_checkpoint_timestamps: 1040.5\n" +
            "last_preserved_timestamp: 1000.5\n"));
        Assert.That(CheckpointState.LatestCheckpoint(dir.Path), Is.EqualTo(manager.LatestCheckpoint));
        BundleCheck.AssertValid(manager.LatestCheckpoint!);
    }

    [Test]
    public void Save_KeepEveryNHours_PreservesOnePerPeriod()
    {
        using var dir = new TempDirectory();
        var clock = new FakeClock(0);
        var manager = new CheckpointManager(NewCheckpoint().Checkpoint, dir.Path, maxToKeep: 1, keepCheckpointEveryNHours: 1, timeProvider: clock);
        for (int i = 0; i < 5; i++)
        {
            clock.Seconds += 40 * 60;
            manager.Save();
        }
        // ckpt-2 (80 min) is the first at least an hour after the start; ckpt-4 (160 min) the first an hour after ckpt-2.
        Assert.That(Bundles(dir), Is.EqualTo(new[] { "ckpt-2", "ckpt-4", "ckpt-5" }));
        Assert.That(manager.Checkpoints, Is.EqualTo(new[] { dir.File("ckpt-5") }));
        var state = CheckpointState.Load(dir.Path)!;
        Assert.That(state.LastPreservedTimestamp, Is.EqualTo(160 * 60));
    }

    [Test]
    public void Constructor_ExistingDirectory_ContinuesNumberingAndRetention()
    {
        using var dir = new TempDirectory();
        var (first, w) = NewCheckpoint(1);
        var manager = new CheckpointManager(first, dir.Path, maxToKeep: 2);
        for (int i = 1; i <= 3; i++)
        {
            w.Assign(Tensor.Scalar((float)i));
            manager.Save();
        }

        var (second, w2) = NewCheckpoint();
        var resumed = new CheckpointManager(second, dir.Path, maxToKeep: 2);
        Assert.That(resumed.Checkpoints, Is.EqualTo(new[] { dir.File("ckpt-2"), dir.File("ckpt-3") }));
        Assert.That(resumed.RestoreOrInitialize(), Is.EqualTo(dir.File("ckpt-3")));
        Assert.That(w2.Value.Item<float>(), Is.EqualTo(3f));
        Assert.That(second.SaveCounter.Value.Item<long>(), Is.EqualTo(3));
        Assert.That(resumed.Save(), Is.EqualTo(dir.File("ckpt-4")));
        Assert.That(Bundles(dir), Is.EqualTo(new[] { "ckpt-3", "ckpt-4" }));
    }

    [Test]
    public void RestoreOrInitialize_EmptyDirectory_ReturnsNullAndChangesNothing()
    {
        using var dir = new TempDirectory();
        var (checkpoint, w) = NewCheckpoint(5);
        var manager = new CheckpointManager(checkpoint, dir.Path);
        Assert.That(manager.RestoreOrInitialize(), Is.Null);
        Assert.That(manager.LatestCheckpoint, Is.Null);
        Assert.That(w.Value.Item<float>(), Is.EqualTo(5f));
    }

    [Test]
    public void Save_CheckpointIntervalAndNumber_SkipsUntilStepAdvanced()
    {
        using var dir = new TempDirectory();
        var step = new Variable(Tensor.Scalar(0, DType.Int64), "step", trainable: false);
        var manager = new CheckpointManager(new Checkpoint(("step", step)), dir.Path, checkpointName: "model", stepCounter: step, checkpointInterval: 10);
        Assert.That(manager.Save(), Is.EqualTo(dir.File("model-1")));
        step.Assign(Tensor.Scalar(5, DType.Int64));
        Assert.That(manager.Save(), Is.Null);
        step.Assign(Tensor.Scalar(10, DType.Int64));
        Assert.That(manager.Save(checkpointNumber: 10), Is.EqualTo(dir.File("model-10")));
        Assert.That(manager.Save(checkInterval: false), Is.EqualTo(dir.File("model-3")));
    }

    [Test]
    public void Constructor_InvalidArguments_Throw()
    {
        var checkpoint = NewCheckpoint().Checkpoint;
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new CheckpointManager(checkpoint, "d", maxToKeep: 0));
        Assert.Throws<ArgumentException>(() => _ = new CheckpointManager(checkpoint, "d", checkpointInterval: 3));
    }

    [Test]
    public void Constructor_FixtureStateFile_ListsTensorFlowCheckpoints()
    {
        string fixture = Path.Combine(FixturePaths.Fixtures, "tf2_checkpoint_keras_sequential_new_optimizer");
        var manager = new CheckpointManager(NewCheckpoint().Checkpoint, fixture, maxToKeep: 3);
        Assert.That(manager.Checkpoints.Select(Path.GetFileName), Is.EqualTo(new[] { "ckpt-17", "ckpt-18", "ckpt-19" }));
        Assert.That(manager.LatestCheckpoint, Is.EqualTo(Path.Combine(fixture, "ckpt-19")));
        Assert.That(1673736140.596798.ToString("R", CultureInfo.InvariantCulture), Is.EqualTo("1673736140.596798"));
    }
}
