namespace Framework.Training;

/// <summary>What <see cref="ModelCheckpoint.RestoreLatest"/> loaded, and which newer checkpoints it had to pass over.</summary>
/// <param name="Path">The full path of the checkpoint that was loaded.</param>
/// <param name="Model">The model holding it: the one passed in (weights-only), or the model <see cref="Model.Load"/> returned.</param>
/// <param name="Skipped">Newer checkpoints that were damaged, newest first, each with the reason.</param>
public sealed record ModelCheckpointRestoreResult(string Path, Model Model, IReadOnlyList<(string Path, string Reason)> Skipped);
