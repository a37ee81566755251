namespace Framework.Serialization;

/// <summary>Restores the newest checkpoint that is intact, skipping damaged ones with a warning.</summary>
/// <remarks>
/// Damage is what a checkpoint's reader reports as such: a missing or truncated file, a CRC mismatch, an unreadable
/// index (<see cref="InvalidDataException"/>, <see cref="FileNotFoundException"/> and other <see cref="IOException"/>s).
/// Anything else (a model that does not match, a changed configuration) is not damage and propagates at once: an older
/// checkpoint would not match either. The restore action must verify before it assigns, as <see cref="Checkpoint"/>
/// does, so a damaged checkpoint leaves nothing half-restored before the next one is tried.
/// </remarks>
public static class CheckpointFallback
{
    /// <summary>Runs <paramref name="restore"/> on each candidate, newest first, until one succeeds.</summary>
    /// <typeparam name="T">What the restore action returns.</typeparam>
    /// <param name="newestFirst">Checkpoint prefixes, newest first.</param>
    /// <param name="restore">Verifies and restores one checkpoint; throws on damage.</param>
    /// <param name="warn">Receives one line per skipped checkpoint, naming it and the damage; standard error by default.</param>
    /// <returns>The restored prefix and the action's result, or null when there are no candidates.</returns>
    /// <exception cref="InvalidDataException">Every candidate is damaged; the message lists each with its damage.</exception>
    public static (string Path, T Result)? RestoreNewestValid<T>(IReadOnlyList<string> newestFirst, Func<string, T> restore, Action<string>? warn = null)
    {
        warn ??= Console.Error.WriteLine;
        return RestoreNewestValid(newestFirst, restore, (path, error, next) =>
            warn($"Checkpoint '{path}' is damaged and was skipped ({error.Message}); {(next is null ? "no older checkpoint is left" : $"falling back to '{next}'")}."));
    }

    /// <summary>As <see cref="RestoreNewestValid{T}(IReadOnlyList{string}, Func{string, T}, Action{string}?)"/>, reporting each
    /// skipped checkpoint as its path, its damage and the next candidate (null when none is left).</summary>
    /// <exception cref="InvalidDataException">Every candidate is damaged; the message lists each with its damage.</exception>
    public static (string Path, T Result)? RestoreNewestValid<T>(IReadOnlyList<string> newestFirst, Func<string, T> restore, Action<string, Exception, string?> skipped)
    {
        ArgumentNullException.ThrowIfNull(newestFirst);
        ArgumentNullException.ThrowIfNull(restore);
        ArgumentNullException.ThrowIfNull(skipped);
        var damaged = new List<string>();
        for (int i = 0; i < newestFirst.Count; i++)
        {
            string path = newestFirst[i];
            try
            {
                return (path, restore(path));
            }
            catch (Exception e) when (e is IOException or InvalidDataException)
            {
                damaged.Add($"'{path}': {e.Message}");
                skipped(path, e, i + 1 < newestFirst.Count ? newestFirst[i + 1] : null);
            }
        }
        if (damaged.Count == 0) return null;
        throw new InvalidDataException($"Every checkpoint is damaged; nothing was restored:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", damaged)}");
    }
}
