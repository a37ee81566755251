using System.Text.Json;
using Framework.Serialization;

namespace Framework.Training;

public sealed partial class ModelCheckpoint
{
    /// <summary>Loads the newest valid checkpoint this callback wrote; if newer ones are damaged, falls back and says so.</summary>
    /// <remarks>
    /// <para>The candidates are the files in this callback's state (kept files and <c>last</c>, newest save first), which
    /// <see cref="SetState"/> restores in a resumed run; with no state, the template's directory is scanned for names the
    /// template can produce (and <c>last</c>), newest write first. A template with placeholders in its directory part
    /// cannot be scanned.</para>
    /// <para>A candidate is damaged when reading it fails with <see cref="InvalidDataException"/> (CRC mismatch, truncation)
    /// or <see cref="IOException"/> (a missing shard or index). Reading verifies everything before assigning, so a
    /// damaged candidate leaves the model untouched; a warning naming the file and the reason goes to standard error and
    /// the next newest is tried. A checkpoint that is intact but does not match the model is not damage: its
    /// <see cref="Framework.Serialization.CheckpointMismatchException"/> propagates.</para>
    /// </remarks>
    /// <param name="model">For weights-only checkpoints, the model to load into; for whole-model checkpoints it is not changed, and the result holds the loaded model.</param>
    /// <returns>What was loaded, or null when there was no candidate or every candidate was damaged (each was reported).</returns>
    /// <example><code>var restored = checkpoint.RestoreLatest(model); model.Fit(x, y, epochs: 10, callbacks: [checkpoint]);</code></example>
    public ModelCheckpointRestoreResult? RestoreLatest(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Flush();
        var skipped = new List<(string Path, string Reason)>();
        try
        {
            var restored = CheckpointFallback.RestoreNewestValid([.. Candidates()], path => Load(model, path), (path, error, _) =>
            {
                Console.Error.WriteLine($"ModelCheckpoint: the checkpoint '{path}' is damaged ({error.Message}); falling back to the next newest.");
                skipped.Add((path, error.Message));
            });
            return restored is { } r ? new ModelCheckpointRestoreResult(r.Path, r.Result, skipped) : null;
        }
        catch (InvalidDataException) when (skipped.Count > 0)
        {
            // Every candidate was damaged, and each was reported.
            Console.Error.WriteLine($"ModelCheckpoint: none of the {skipped.Count} checkpoints of '{Filepath}' is valid; nothing was restored.");
            return null;
        }
    }

    private Model Load(Model model, string path)
    {
        try
        {
            if (!SaveWeightsOnly) return Model.Load(path);
            model.LoadWeights(path);
            return model;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException(e.Message, e);
        }
    }

    /// <summary>Whether a file name is one this callback's template or <c>last</c> can produce.</summary>
    private bool IsOwnName(string name) => name == LastName || FilePathTemplate.Parse(Path.GetFileName(Filepath)).ToRegex().IsMatch(name);

    private IEnumerable<string> Candidates()
    {
        var recorded = _saved.Append(_last).OfType<ModelCheckpointEntry>().OrderByDescending(e => e.Sequence).Select(e => e.Path).Distinct().ToList();
        if (recorded.Count > 0) return recorded;
        string? directory = Path.GetDirectoryName(Path.GetFullPath(Filepath));
        if (directory is null || directory.Contains('{', StringComparison.Ordinal)) return [];
        return ModelCheckpointFiles.Scan(directory, IsOwnName, SaveWeightsOnly);
    }
}
