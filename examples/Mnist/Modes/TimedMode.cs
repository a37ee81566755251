using Framework.Serialization;
using Framework.Training;

namespace Mnist.Modes;

/// <summary>Scenario d: Estimator-style checkpoints on a clock, through a <see cref="CheckpointSaver"/> and a
/// <see cref="CheckpointManager"/> keeping 5: at the start, every <see cref="MnistOptions.SaveSeconds"/>, and at the end.</summary>
/// <remarks>Succeeds when the newest checkpoint, restored into a new model, holds exactly the trained weights.</remarks>
public static class TimedMode
{
    /// <summary>Runs the mode.</summary>
    public static ModeResult Run(MnistOptions options, MnistSplit data, TextWriter log)
    {
        var model = ReferenceModel.Create(options.Seed);
        // A compiled model tracks its optimizer (the "optimizer" edge tf.keras writes), so the model alone is the whole state.
        var manager = new CheckpointManager(new Checkpoint(("model", model)), options.ResolvedCheckpointDir, maxToKeep: 5);
        var saver = new CheckpointSaver(manager, TimeSpan.FromSeconds(options.SaveSeconds));
        model.Fit(data.XTrain, data.YTrain, epochs: options.Epochs, batchSize: options.BatchSize, verbose: options.Verbose,
            validationData: (data.XVal, data.YVal), callbacks: [saver]);
        log.WriteLine($"Saved {saver.Saved.Count} checkpoints, every {options.SaveSeconds} s; kept (oldest first):");
        foreach (string path in manager.Checkpoints) log.WriteLine($"  {path}");

        var restored = ReferenceModel.Create(options.Seed + 1);
        new Checkpoint(("model", restored)).Restore(manager.LatestCheckpoint!);
        bool same = ReferenceModel.SameWeights(restored, model);
        return same && manager.Checkpoints.Count <= 5
            ? new ModeResult(true, $"The newest checkpoint ({Path.GetFileName(manager.LatestCheckpoint)}) holds the trained weights.", model)
            : new ModeResult(false, $"Restoring {manager.LatestCheckpoint} gave other weights, or more than 5 were kept.", model);
    }
}
