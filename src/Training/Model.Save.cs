using Framework.Serialization;

namespace Framework.Training;

public abstract partial class Model
{
    private CheckpointLoadStatus? _strictLoadAwaitingBuild;

    /// <summary>Saves the weights (and, when compiled, the optimizer's state) as a TensorFlow checkpoint, like Keras's <c>save_weights</c> in TF format.</summary>
    /// <remarks>The model is the root of the saved object graph, so the keys are those tf.keras writes
    /// (<c>layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE</c>, <c>optimizer/iter/...</c>, slot keys with
    /// <c>.OPTIMIZER_SLOT</c>). The files are <c>prefix.index</c> and <c>prefix.data-00000-of-00001</c>, written atomically,
    /// then the directory's <c>checkpoint</c> state file is set to name this prefix. Saving onto an existing prefix is
    /// crash-safe: until the new pair is complete, the previous one stays reachable as <c>prefix.previous.*</c> (hard links,
    /// removed once the save completes), and <see cref="LoadWeights"/> falls back to it if a crash left a mixed pair.</remarks>
    /// <param name="filePrefix">The checkpoint prefix, e.g. <c>runs/weights</c> (no extension).</param>
    /// <exception cref="IOException">Writing failed; files already under the prefix are only replaced by complete ones.</exception>
    /// <example><code>model.SaveWeights("runs/weights"); fresh.LoadWeights("runs/weights");</code></example>
    public void SaveWeights(string filePrefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(filePrefix);
        Persistence.PersistenceFormats.WeightsForSave(filePrefix).Save(this, filePrefix);
    }

    /// <summary><see cref="SaveWeights"/> in the TensorFlow checkpoint format.</summary>
    internal void SaveTfCheckpoint(string filePrefix)
    {
        Checkpoint.WriteObject(this, filePrefix);
        string full = Path.GetFullPath(filePrefix);
        var state = new CheckpointState(full);
        state.AllModelCheckpointPaths.Add(full);
        state.Save(Path.GetDirectoryName(full)!);
    }

    /// <summary>Loads weights (and optimizer state, when both the file and the model have one) saved by <see cref="SaveWeights"/> or by tf.keras.</summary>
    /// <remarks>
    /// <para>Matching walks the saved object graph from the model (spec 3.5). Everything is read and CRC-checked first;
    /// with <paramref name="strict"/>, any variable of the model without a saved value, any saved value nothing uses, or any
    /// shape or dtype difference throws one <see cref="CheckpointMismatchException"/> listing them, and nothing is assigned.</para>
    /// <para>An unbuilt model (a fresh one) is restored lazily: its weights receive the saved values when they are created on
    /// the first call, so it then predicts exactly as the saved model. Saved values waiting for weights that do not exist yet
    /// cannot be judged yet: for a <see cref="Sequential"/>, the strict check and the assignment happen together when it is
    /// built (its first call throws the <see cref="CheckpointMismatchException"/> if the built model does not match); other
    /// unbuilt models check only missing variables and mismatches and restore the rest on creation. Saved optimizer
    /// state loaded into an uncompiled model is not a mismatch either: it is restored when <c>Compile</c> attaches an optimizer.</para>
    /// <para>Optimizer state in Keras's newer layout (<c>optimizer/_variables/N</c>, <c>_iterations</c>, <c>_learning_rate</c>)
    /// is mapped onto the slot-based optimizer when the model is built: variable 0 is the iteration counter, then for each
    /// trainable weight in order, one variable per slot in the optimizer's slot order (Adam: <c>m</c>, <c>v</c>).</para>
    /// </remarks>
    /// <param name="filePrefix">A checkpoint prefix, or a directory (its latest checkpoint).</param>
    /// <param name="strict">Whether a mismatch throws (default) or the matching part is loaded and reported.</param>
    /// <returns>The match report (for <c>strict: false</c>, the keys that did not match).</returns>
    /// <exception cref="CheckpointMismatchException">Strict, and the checkpoint does not match; nothing was assigned.</exception>
    /// <exception cref="FileNotFoundException">The checkpoint does not exist.</exception>
    /// <exception cref="InvalidDataException">The checkpoint is corrupt; nothing was assigned.</exception>
    public CheckpointMatchReport LoadWeights(string filePrefix, bool strict = true) =>
        Persistence.PersistenceFormats.WeightsForLoad(filePrefix).Load(this, filePrefix, strict);

    /// <summary><see cref="LoadWeights"/> of a TensorFlow checkpoint.</summary>
    internal CheckpointMatchReport LoadTfCheckpoint(string filePrefix, bool strict)
    {
        var status = Checkpoint.MatchObject(this, filePrefix);
        // An uncompiled model has no optimizer yet: the saved optimizer state waits for Compile (deferred restoration).
        if (Optimizer is null) status.DeferUnder(this, "optimizer");
        if (Optimizer is { } optimizer)
        {
            bool newLayout = status.SavedValueKey(optimizer, KerasOptimizerLayout.IterationsName) is not null;
            if (IsBuilt && !optimizer.IsBuilt && (status.HasSavedSlots(optimizer) || newLayout))
                optimizer.BuildFor(TrainableWeights);
            if (newLayout) KerasOptimizerLayout.Match(status, optimizer, IsBuilt ? TrainableWeights : null);
        }
        var report = status.Report;
        // Keras's own loader skips the metric state a Keras SavedModel keeps under keras_api/; so does a strict load here.
        if (strict && (report.Missing.Count > 0 || report.Mismatches.Count > 0 || (IsBuilt && report.Unexpected.Any(v => !IsKerasApiState(v.Key)))))
            throw new CheckpointMismatchException(report);
        if (strict && !IsBuilt && AnnouncesBuild)
        {
            // Matching continues as the layers create their weights; the values are checked and assigned all at once
            // when the build completes (OnBuiltForCheckpoint), so a mismatch is still refused without half-loading.
            _strictLoadAwaitingBuild = status;
            return report;
        }
        status.AssignMatched();
        return status.Report;
    }

    private static bool IsKerasApiState(string key) => key.StartsWith("keras_api/", StringComparison.Ordinal);

    /// <summary>Whether the subclass calls <see cref="OnBuiltForCheckpoint"/> at the end of its build (as <see cref="Sequential"/> does).</summary>
    private protected virtual bool AnnouncesBuild => false;

    /// <summary>Completes a strict <see cref="LoadWeights"/> into a model that was not built: checks the match now that all
    /// weights exist, then assigns every value, or throws and assigns nothing.</summary>
    /// <exception cref="CheckpointMismatchException">The checkpoint does not match the built model.</exception>
    private protected void OnBuiltForCheckpoint()
    {
        if (_strictLoadAwaitingBuild is not { } status) return;
        _strictLoadAwaitingBuild = null;
        if (Optimizer is { } optimizer && !optimizer.IsBuilt && status.HasSavedSlots(optimizer))
            optimizer.BuildFor(TrainableWeights);
        if (Optimizer is not null) KerasOptimizerLayout.Restore(status, this, TrainableWeights);
        var report = status.Report;
        if (report.Missing.Count > 0 || report.Mismatches.Count > 0 || report.Unexpected.Count > 0)
            throw new CheckpointMismatchException(report);
        status.AssignMatched();
    }
}
