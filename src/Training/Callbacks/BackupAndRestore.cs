using Framework.Serialization;
using Framework.Training.Persistence;

namespace Framework.Training;

/// <summary>Backs up the whole training state while <see cref="Model.Fit"/> runs, and resumes an interrupted run exactly
/// where it stopped, like Keras's <c>BackupAndRestore</c> but bit-exact.</summary>
/// <remarks>
/// <para>Each backup is a TensorFlow checkpoint in <see cref="BackupDirectory"/> (written atomically by a
/// <see cref="CheckpointManager"/> that keeps the two newest) holding the model's weights, the optimizer's state, and
/// the training state: epoch and batch position, the data order's random state, every Dropout mask stream, the epoch's
/// running metrics, the other callbacks' states (<see cref="Callback.GetState"/>) and the history so far.</para>
/// <para>When <c>Fit</c> starts and a backup exists, everything is restored and training continues from the batch after
/// the last backup: the final weights are bit-identical to those of a run that was never interrupted. If the newest
/// backup is damaged or cannot be used for any other reason (for example it lacks the training state), the previous one is used, with a warning. If the run's configuration (optimizer, loss, batch size,
/// epochs, number of samples) differs from the backed-up run's, <c>Fit</c> throws instead of resuming something else.</para>
/// <para>Backups are taken after every callback has seen the epoch (or batch), so the saved state is complete. When
/// training finishes, the backups are deleted (unless <paramref name="deleteCheckpoint"/> is false).</para>
/// <para>With <see cref="BackupFormat.Keras"/> the directory holds Keras 3's backup files instead, <c>latest.weights.h5</c> and
/// <c>training_metadata.json</c> (the previous pair as <c>*.bkp</c>): the same guarantees (atomic, bit-exact resume, fallback
/// to the previous backup), and Keras 3's own <c>BackupAndRestore</c> pointed at the directory resumes from it too.</para>
/// </remarks>
/// <param name="backupDirectory">Where the backups live; created when needed. Use one directory per training run.</param>
/// <param name="saveFreq">Back up at the end of every epoch (default) or every N batches.</param>
/// <param name="deleteCheckpoint">Delete the backups when <c>Fit</c> completes.</param>
/// <param name="format">TensorFlow checkpoints (the default) or Keras 3's <c>latest.weights.h5</c> layout.</param>
/// <example>
/// <code>
/// // Run this again after a crash: it continues from the last backup.
/// model.Fit(x, y, epochs: 10, callbacks: [new BackupAndRestore("runs/backup", SaveFrequency.EveryBatches(500))]);
/// // The same, in the files Keras 3 writes: runs/backup/latest.weights.h5 and training_metadata.json.
/// model.Fit(x, y, epochs: 10, callbacks: [new BackupAndRestore("runs/backup", format: BackupFormat.Keras)]);
/// </code>
/// </example>
public sealed class BackupAndRestore(string backupDirectory, SaveFrequency saveFreq = default, bool deleteCheckpoint = true,
    BackupFormat format = BackupFormat.TensorFlowCheckpoint) : Callback
{
    private ITrainingBackup? _backup;
    private int _batchesSinceBackup;

    /// <summary>The full path of the backup directory.</summary>
    public string BackupDirectory { get; } = Path.GetFullPath(backupDirectory ?? throw new ArgumentNullException(nameof(backupDirectory)));

    /// <summary>When backups are taken.</summary>
    public SaveFrequency SaveFrequency { get; } = saveFreq;

    /// <summary>What the backups are written as.</summary>
    public BackupFormat Format { get; } = Enum.IsDefined(format) ? format : throw new ArgumentOutOfRangeException(nameof(format), format, "Not a BackupFormat.");

    /// <summary>The backup the current run resumed from, or null when it started fresh.</summary>
    public string? RestoredFrom { get; private set; }

    /// <summary>The warnings of the last restore: one line per damaged backup that was skipped (also written to standard error).</summary>
    public IReadOnlyList<string> Warnings { get; private set; } = [];

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">The backup was made by a run with another configuration; the message lists the differences.</exception>
    /// <exception cref="InvalidDataException">Every backup in the directory is damaged.</exception>
    public override void OnTrainBegin(Logs logs)
    {
        var model = RequireModel();
        _backup?.Dispose();
        var configuration = TrainingConfiguration.Describe(model, Params);
        _backup = Format == BackupFormat.Keras
            ? new KerasTrainingBackup(model, BackupDirectory, configuration)
            : new TrainingBackup(model, BackupDirectory, configuration);
        _batchesSinceBackup = 0;
        var warnings = new List<string>();
        RestoredFrom = _backup.RestoreNewest(line =>
        {
            warnings.Add(line);
            Console.Error.WriteLine($"BackupAndRestore: {line}");
        });
        Warnings = warnings;
    }

    /// <inheritdoc/>
    internal override void AfterBatchEnd(int batch, Logs logs)
    {
        if (SaveFrequency.IsPerEpoch || ++_batchesSinceBackup < SaveFrequency.Batches) return;
        _batchesSinceBackup = 0;
        _backup?.Save();
    }

    /// <inheritdoc/>
    internal override void AfterEpochEnd(int epoch, Logs logs)
    {
        if (SaveFrequency.IsPerEpoch) _backup?.Save();
    }

    /// <inheritdoc/>
    public override void OnTrainEnd(Logs logs)
    {
        if (deleteCheckpoint) _backup?.Delete();
        _backup?.Dispose();
        _backup = null;
    }

    /// <summary>Releases the backup directory's lock when Fit fails; the backups stay for the next run.</summary>
    internal override void OnFitFailed()
    {
        _backup?.Dispose();
        _backup = null;
    }
}
