using Framework.Serialization;

namespace Framework.Training;

/// <summary>The file operations of <see cref="ModelCheckpoint"/>: atomic replacement, deletion and the <c>checkpoint</c> state file.</summary>
internal static class ModelCheckpointFiles
{
    private const string Staging = ".staging";

    /// <summary>Writes the model's weights (and optimizer state) under <paramref name="prefix"/>, replacing an existing bundle atomically.</summary>
    /// <remarks>A new prefix is written in place: the bundle writer renames its data files first and its index last, so the
    /// bundle exists only when complete. An existing prefix cannot be replaced that way (between the two renames its old
    /// index would describe new data), so the new bundle is written completely under a staging prefix, the old index is
    /// deleted (the old bundle is then absent, never mixed), and the staged files are renamed, index last.</remarks>
    public static void WriteWeights(Framework.Tensors.Trackable model, string prefix)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(prefix)!);
        if (!File.Exists(prefix + ".index"))
        {
            // WriteObject, not SaveWeights: the callback writes the state file once per save point, listing what it keeps.
            Checkpoint.WriteObject(model, prefix);
            return;
        }
        string staging = prefix + Staging;
        DeleteWeights(staging);
        Checkpoint.WriteObject(model, staging);
        DeleteWeights(prefix);
        foreach (string data in DataFiles(staging))
            File.Move(data, prefix + Path.GetFileName(data)[Path.GetFileName(staging).Length..], overwrite: true);
        File.Move(staging + ".index", prefix + ".index", overwrite: true);
    }

    /// <summary>Deletes a checkpoint this callback wrote: a weights bundle (index first) or a model directory.</summary>
    public static void Delete(string path, bool weightsOnly)
    {
        if (File.Exists(path))
        {
            File.Delete(path);   // a Keras file (.keras, .h5, .weights.h5)
            return;
        }
        if (weightsOnly) DeleteWeights(path);
        else if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
    }

    /// <summary>Points <c>directory/checkpoint</c> at <paramref name="newest"/>, listing <paramref name="kept"/> (oldest first).</summary>
    public static void WriteStateFile(string directory, string newest, IEnumerable<string> kept)
    {
        var state = new CheckpointState(newest);
        foreach (string path in kept) state.AllModelCheckpointPaths.Add(path);
        state.Save(directory);
    }

    /// <summary>The checkpoints in <paramref name="directory"/> whose names match <paramref name="name"/>, newest first by write time.</summary>
    /// <remarks>A weights bundle counts when its index or any data file exists (a bundle missing its index is reported as damaged, not ignored).</remarks>
    public static IEnumerable<string> Scan(string directory, Func<string, bool> name, bool weightsOnly)
    {
        if (!Directory.Exists(directory)) return [];
        var found = weightsOnly
            ? Directory.EnumerateFiles(directory).Select(f => (Path: Prefix(f), Time: File.GetLastWriteTimeUtc(f))).Where(f => f.Path is not null)
            : Directory.EnumerateDirectories(directory).Select(d => (Path: (string?)d, Time: Directory.GetLastWriteTimeUtc(d)));
        found = found.Concat(Directory.EnumerateFiles(directory).Where(f => Persistence.PersistenceFormats.IsKerasFile(f, weightsOnly))
            .Select(f => (Path: (string?)f, Time: File.GetLastWriteTimeUtc(f))));
        // Leftovers of interrupted replacements: a weights bundle's staging prefix, a model directory's pending or previous copy.
        string[] leftovers = [Staging, Saving.SavedModelFormat.PendingSuffix, Saving.SavedModelFormat.PreviousSuffix];
        return found.Where(f => name(Path.GetFileName(f.Path!)) && !leftovers.Any(suffix => f.Path!.EndsWith(suffix, StringComparison.Ordinal)))
            .GroupBy(f => f.Path!).Select(g => (g.Key, Time: g.Max(f => f.Time)))
            .OrderByDescending(f => f.Time).ThenByDescending(f => Path.GetFileName(f.Key) == ModelCheckpoint.LastName).Select(f => f.Key);
    }

    private static string? Prefix(string file)
    {
        string name = Path.GetFileName(file);
        if (name.Contains(".tempstate", StringComparison.Ordinal)) return null;
        if (name.EndsWith(".index", StringComparison.Ordinal)) return file[..^".index".Length];
        int data = name.LastIndexOf(".data-", StringComparison.Ordinal);
        return data > 0 && name.IndexOf("-of-", data, StringComparison.Ordinal) > 0 ? file[..(file.Length - name.Length + data)] : null;
    }

    private static void DeleteWeights(string prefix)
    {
        // The index goes first: a bundle without its index is absent, never a half-deleted readable one.
        File.Delete(prefix + ".index");
        foreach (string data in DataFiles(prefix)) File.Delete(data);
    }

    private static IEnumerable<string> DataFiles(string prefix)
    {
        string? directory = Path.GetDirectoryName(prefix);
        if (directory is null || !Directory.Exists(directory)) return [];
        string name = Path.GetFileName(prefix);
        return Directory.EnumerateFiles(directory, name + ".data-*").Where(f => Prefix(f) == prefix).ToList();
    }
}
