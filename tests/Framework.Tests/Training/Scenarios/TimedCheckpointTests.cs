using Framework.Serialization;
using Framework.Tensors;
using Framework.Tests.Helpers;
using Framework.Tests.Serialization;
using Framework.Training;

namespace Framework.Tests.Training.Scenarios;

/// <summary>Scenario d of the saving guide: saving every N seconds with at most K checkpoints kept, plus a save when
/// training starts and when it ends, like TensorFlow Estimator (600 s, keep 5).</summary>
public class TimedCheckpointTests
{
    /// <summary>A clock that the test advances by a fixed amount at every batch.</summary>
    private sealed class SteppedClock : TimeProvider
    {
        public long Ticks { get; set; }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Ticks;

        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch.AddTicks(Ticks);
    }

    private static Model NewModel()
    {
        var model = new Sequential([new TestLinear(4, 1), new TestLinear(2, 2)]);
        model.Compile(new PlainSgd(0.1), new SparseCategoricalCrossentropy(fromLogits: true));
        return model;
    }

    [Test]
    public void Fit_Every600SecondsKeepFive_SavesAtStartOnScheduleAndAtEnd()
    {
        using var dir = new TempDirectory();
        var clock = new SteppedClock();
        var model = NewModel();
        var manager = new CheckpointManager(new Checkpoint(("model", model)), dir.Path, maxToKeep: 5, timeProvider: clock);
        var saver = new CheckpointSaver(manager, TimeSpan.FromSeconds(600), clock);
        // 100 s per batch: 8 batches per epoch × 4 epochs = 3,200 s of "training".
        var tick = new LambdaCallback { BatchBegin = _ => clock.Ticks += TimeSpan.TicksPerSecond * 100 };
        var (x, y) = ToyData.Blobs(64);
        model.Fit(x, y, epochs: 4, batchSize: 8, verbose: 0, shuffle: false, callbacks: [tick, saver]);

        // Saves: at the start (t=0), at the batch ends at t=600, 1200, 1800, 2400, 3000, and at the end (t=3200).
        Assert.That(saver.Saved.Select(Path.GetFileName), Is.EqualTo(Enumerable.Range(1, 7).Select(i => $"ckpt-{i}")));
        Assert.That(manager.Checkpoints.Select(Path.GetFileName), Is.EqualTo(new[] { "ckpt-3", "ckpt-4", "ckpt-5", "ckpt-6", "ckpt-7" }));
        Assert.That(Directory.GetFiles(dir.Path, "*.index"), Has.Length.EqualTo(5));

        // The last checkpoint holds the final weights.
        var restored = NewModel();
        restored.Predict(x);
        new Checkpoint(("model", restored)).Restore(manager.LatestCheckpoint!).ExpectPartial();
        Assert.That(restored.GetWeightValues(), Is.EqualTo(model.GetWeightValues()));
    }

    [Test]
    public void Fit_EveryNBatches_SavesOnBatchCount()
    {
        using var dir = new TempDirectory();
        var model = NewModel();
        var manager = new CheckpointManager(new Checkpoint(("model", model)), dir.Path, maxToKeep: null);
        var saver = new CheckpointSaver(manager, everyBatches: 5);
        var (x, y) = ToyData.Blobs(64);
        model.Fit(x, y, epochs: 2, batchSize: 8, verbose: 0, callbacks: [saver]);
        // 16 batches: start, after 5, 10, 15, and the end (1 batch since the last save).
        Assert.That(saver.Saved, Has.Count.EqualTo(5));
    }

    [Test]
    public void Constructor_NonPositiveInterval_Throws()
    {
        using var dir = new TempDirectory();
        var manager = new CheckpointManager(new Checkpoint(("w", new Variable(Tensor.Scalar(0f), "w"))), dir.Path);
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new CheckpointSaver(manager, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new CheckpointSaver(manager, everyBatches: 0));
    }
}
