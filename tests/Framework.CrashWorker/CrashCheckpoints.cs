using Framework.Training;

namespace Framework.CrashWorker;

/// <summary>The <see cref="ModelCheckpoint"/> of each <c>mc-…</c> crash path, compiled into the worker and (linked) into
/// the tests, so the restore is configured exactly as the save was.</summary>
internal static class CrashCheckpoints
{
    /// <summary>The callback of a <c>mc-…</c> path: the worker saves through it and the test restores through the same one.</summary>
    public static ModelCheckpoint Create(string path, string directory)
    {
        bool weightsOnly = path.StartsWith("mc-weights", StringComparison.Ordinal) || path.StartsWith("mc-keras-weights", StringComparison.Ordinal);
        bool template = path.EndsWith("template", StringComparison.Ordinal);
        string file = Path.Combine(directory, path switch
        {
            "mc-keras-weights-fixed" => "best.weights.h5",
            "mc-keras-model-template" => "model-{epoch:04d}.keras",
            _ => (weightsOnly ? "ckpt" : "model") + (template ? "-{epoch:04d}" : ""),
        });
        return new ModelCheckpoint(file, monitor: "crash_step", mode: MonitorMode.Max, saveWeightsOnly: weightsOnly, saveTopK: template ? 1 : null)
        {
            SaveInBackground = false,
        };
    }
}
