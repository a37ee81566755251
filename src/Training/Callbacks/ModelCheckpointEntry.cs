namespace Framework.Training;

/// <summary>A checkpoint <see cref="ModelCheckpoint"/> wrote: its full path, the monitored value then (if any), and its save number.</summary>
/// <param name="Path">The full path of the weights prefix or model directory.</param>
/// <param name="Value">The monitored value at the save, or null when the logs did not have it.</param>
/// <param name="Sequence">The callback's save counter at the save: larger is newer.</param>
internal sealed record ModelCheckpointEntry(string Path, double? Value, long Sequence);
