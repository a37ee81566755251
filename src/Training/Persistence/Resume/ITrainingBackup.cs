namespace Framework.Training.Persistence;

/// <summary>The backups of one <see cref="BackupAndRestore"/> run, in one <see cref="BackupFormat"/>.</summary>
internal interface ITrainingBackup : IDisposable
{
    /// <summary>Restores the newest usable backup into the model and hands its training state to <see cref="Model.Fit"/>.</summary>
    /// <param name="warn">Receives a line per unusable backup skipped.</param>
    /// <returns>The backup restored, or null when there is none.</returns>
    /// <exception cref="InvalidOperationException">The only backups were made by another configuration or model.</exception>
    /// <exception cref="InvalidDataException">Every backup is damaged.</exception>
    string? RestoreNewest(Action<string> warn);

    /// <summary>Backs up the model, its optimizer and the training state, atomically.</summary>
    void Save();

    /// <summary>Removes the backup directory (the run is complete).</summary>
    void Delete();
}
