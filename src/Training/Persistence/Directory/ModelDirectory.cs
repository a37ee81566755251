namespace Framework.Training.Saving;

/// <summary>Replaces a saved model directory as one step: a crash or error at any point leaves a complete, loadable save.</summary>
/// <remarks>
/// <para>A save of <c>P</c> writes everything into the sibling <c>P.saving</c> (files fsynced), then swaps with two renames:
/// <c>P</c> → <c>P.previous</c>, <c>P.saving</c> → <c>P</c>, syncs the parent directory, and deletes <c>P.previous</c>.</para>
/// <para>Recovery: <c>P.saving</c> is never read (it may be incomplete) and the next save deletes it. If a crash falls
/// between the two renames, <c>P</c> is missing and <c>P.previous</c> holds the last complete save: <see cref="ResolveForLoad"/>
/// returns it, and the next save completes the swap. Concurrent saves to the same path are not supported.</para>
/// <para>An existing non-empty <c>P</c> without <c>config.json</c> is refused rather than replaced, so a typo cannot delete an
/// unrelated directory.</para>
/// </remarks>
internal static class ModelDirectory
{
    /// <summary>Points during a save where tests inject failures.</summary>
    internal enum Stage
    {
        /// <summary>The new save is complete in <c>P.saving</c>; nothing else has changed.</summary>
        Written,

        /// <summary>The previous save has been renamed to <c>P.previous</c>; <c>P</c> does not exist.</summary>
        PreviousMoved,
    }

    /// <summary>Writes a new save of <paramref name="directory"/> with <paramref name="write"/> (given the directory to fill) and swaps it in.</summary>
    /// <exception cref="IOException">The path is a file or an unrelated directory, or writing failed; the previous save is intact.</exception>
    public static void Replace(string directory, Action<string> write, Action<Stage>? onStage = null)
    {
        string full = Normalize(directory);
        string parent = Path.GetDirectoryName(full) ?? throw new IOException($"Model.Save: '{directory}' has no parent directory; save into a subdirectory.");
        if (File.Exists(full)) throw new IOException($"Model.Save: '{full}' is a file; a saved model is a directory. Choose another path.");
        if (Directory.Exists(full) && !File.Exists(Path.Combine(full, SavedModelFormat.ConfigFile)) && Directory.EnumerateFileSystemEntries(full).Any())
            throw new IOException($"Model.Save: '{full}' is a non-empty directory without {SavedModelFormat.ConfigFile}; refusing to replace what is not a saved model.");
        Directory.CreateDirectory(parent);
        string pending = full + SavedModelFormat.PendingSuffix, previous = full + SavedModelFormat.PreviousSuffix;
        // A leftover of a save that crashed before its swap: incomplete by definition.
        if (Directory.Exists(pending)) DeleteDirectory(pending);
        Directory.CreateDirectory(pending);
        // The save being replaced stays intact until the swap; only its cached pages go, so the new files can reuse them.
        Framework.Serialization.PageCache.EvictBundle(Path.Combine(full, SavedModelFormat.VariablesDirectory, SavedModelFormat.VariablesPrefix));
        try
        {
            write(pending);
            Framework.Serialization.AtomicFile.SyncDirectory(pending);
            onStage?.Invoke(Stage.Written);
        }
        catch
        {
            TryDelete(pending);
            throw;
        }
        if (Directory.Exists(full))
        {
            // P exists, so a P.previous is an older save whose swap completed: obsolete.
            if (Directory.Exists(previous)) DeleteDirectory(previous);
            Move(full, previous);
        }
        // No rollback from here on: any failure leaves P.previous (or P) complete, which Load and the next save recover.
        onStage?.Invoke(Stage.PreviousMoved);
        Move(pending, full);
        Framework.Serialization.AtomicFile.SyncDirectory(parent);
        TryDelete(previous);
    }

    /// <summary>The directory to load for <paramref name="directory"/>: itself, or <c>P.previous</c> when a crash interrupted a swap.</summary>
    /// <exception cref="DirectoryNotFoundException">Neither exists.</exception>
    public static string ResolveForLoad(string directory)
    {
        string full = Normalize(directory);
        if (Directory.Exists(full)) return full;
        string previous = full + SavedModelFormat.PreviousSuffix;
        if (Directory.Exists(previous)) return previous;
        throw new DirectoryNotFoundException($"Model.Load: the saved model directory '{full}' does not exist.");
    }

    private static string Normalize(string directory) =>
        Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));

    private static void Move(string from, string to)
    {
        Framework.Serialization.SaveSteps.Before(Framework.Serialization.SaveStep.Rename, to);
        Directory.Move(from, to);
    }

    private static void DeleteDirectory(string directory)
    {
        Framework.Serialization.SaveSteps.Before(Framework.Serialization.SaveStep.DeleteDirectory, directory);
        Directory.Delete(directory, recursive: true);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory)) DeleteDirectory(directory);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
