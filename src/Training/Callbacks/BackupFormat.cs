namespace Framework.Training;

/// <summary>What <see cref="BackupAndRestore"/> writes into its backup directory.</summary>
public enum BackupFormat
{
    /// <summary>TensorFlow checkpoints <c>backup-N.index</c> / <c>.data-…</c> with a <c>checkpoint</c> state file, the two newest kept (the default).</summary>
    TensorFlowCheckpoint,

    /// <summary>Keras 3's backup directory: <c>latest.weights.h5</c> (Keras 3's weights layout, optimizer state included) and
    /// <c>training_metadata.json</c> (<c>{"epoch": …, "batch": …}</c>), the previous pair kept as <c>*.bkp</c> as Keras's
    /// <c>double_checkpoint=True</c> does; Keras 3's own <c>keras.callbacks.BackupAndRestore</c> can resume from it.</summary>
    Keras,
}
