using Framework.Serialization;

namespace Framework.Training.Persistence;

/// <summary>The TensorFlow checkpoint prefix (<c>prefix.index</c> + <c>prefix.data-00000-of-00001</c>): SaveWeights to any path
/// that is not a Keras file name, and LoadWeights of a prefix or of a directory holding a <c>checkpoint</c> state file.</summary>
/// <remarks>The model is the root of the saved object graph, so the keys are those tf.keras writes; see
/// <see cref="Model.SaveWeights"/> and <see cref="Model.LoadWeights"/> for the behaviour.</remarks>
internal sealed class TfCheckpointWeightsFormat : IWeightsFormat
{
    /// <inheritdoc/>
    public string Name => "TensorFlow checkpoint (prefix.index + prefix.data-*)";

    /// <inheritdoc/>
    public bool SavesTo(string path) => true;

    /// <inheritdoc/>
    /// <remarks>Anything that is not an existing file: a prefix, a directory, or a missing path (whose error then names the checkpoint files).</remarks>
    public bool Recognizes(string path, byte[] header) => !File.Exists(path) || File.Exists(path + ".index");

    /// <inheritdoc/>
    public Action PrepareSave(Model model, string path) => () =>
    {
        Checkpoint.WriteObject(model, path);
        string full = Path.GetFullPath(path);
        var state = new CheckpointState(full);
        state.AllModelCheckpointPaths.Add(full);
        state.Save(Path.GetDirectoryName(full)!);
    };

    /// <inheritdoc/>
    public void Save(Model model, string path) => PrepareSave(model, path)();

    /// <inheritdoc/>
    public CheckpointMatchReport Load(Model model, string path, bool strict)
    {
        var status = Checkpoint.MatchObject(model, path);
        // An uncompiled model has no optimizer yet: the saved optimizer state waits for Compile (deferred restoration).
        if (model.Optimizer is null) status.DeferUnder(model, "optimizer");
        if (model.Optimizer is { } optimizer)
        {
            bool newLayout = status.SavedValueKey(optimizer, KerasOptimizerLayout.IterationsName) is not null;
            if (model.IsBuilt && !optimizer.IsBuilt && (status.HasSavedSlots(optimizer) || newLayout))
                optimizer.BuildFor(model.TrainableWeights);
            if (newLayout) KerasOptimizerLayout.Match(status, optimizer, model.IsBuilt ? model.TrainableWeights : null);
        }
        var report = status.Report;
        // Keras's own loader skips the metric state a Keras SavedModel keeps under keras_api/; so does a strict load here.
        if (strict && (report.Missing.Count > 0 || report.Mismatches.Count > 0 || (model.IsBuilt && report.Unexpected.Any(v => !IsKerasApiState(v.Key)))))
            throw new CheckpointMismatchException(report);
        if (strict && !model.IsBuilt && model.AwaitBuild(status))
        {
            // Matching continues as the layers create their weights; the values are checked and assigned all at once
            // when the build completes (CompleteAfterBuild), so a mismatch is still refused without half-loading.
            return report;
        }
        status.AssignMatched();
        return status.Report;
    }

    /// <summary>Completes a strict <see cref="Load"/> into a model that was not built: checks the match now that all
    /// weights exist, then assigns every value, or throws and assigns nothing.</summary>
    /// <exception cref="CheckpointMismatchException">The checkpoint does not match the built model.</exception>
    public static void CompleteAfterBuild(Model model, CheckpointLoadStatus status)
    {
        if (model.Optimizer is { } optimizer && !optimizer.IsBuilt && status.HasSavedSlots(optimizer))
            optimizer.BuildFor(model.TrainableWeights);
        if (model.Optimizer is not null) KerasOptimizerLayout.Restore(status, model, model.TrainableWeights);
        var report = status.Report;
        if (report.Missing.Count > 0 || report.Mismatches.Count > 0 || report.Unexpected.Count > 0)
            throw new CheckpointMismatchException(report);
        status.AssignMatched();
    }

    private static bool IsKerasApiState(string key) => key.StartsWith("keras_api/", StringComparison.Ordinal);
}
