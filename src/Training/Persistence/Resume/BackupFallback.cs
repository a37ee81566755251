using Framework.Serialization;

namespace Framework.Training.Persistence;

/// <summary>The restore rule both backup formats share: the newest backup that restores wins; a damaged one is skipped with a
/// warning; a backup refused for a reason that is not damage (a run with another configuration) stops the search.</summary>
internal static class BackupFallback
{
    /// <summary>Restores the newest usable of <paramref name="newestFirst"/> with <paramref name="restore"/>.</summary>
    /// <returns>The restored path, or null when there is no candidate or <paramref name="restore"/> declined them all.</returns>
    /// <exception cref="InvalidOperationException">The newest refusal that was not damage, when no backup could be used.</exception>
    /// <exception cref="InvalidDataException">Every backup is damaged; the message lists each with its damage.</exception>
    public static string? RestoreNewest(IReadOnlyList<string> newestFirst, Func<string, bool> restore, Action<string> warn)
    {
        InvalidOperationException? refused = null;
        bool RestoreOrDamage(string path)
        {
            try
            {
                return restore(path);
            }
            catch (InvalidOperationException e)
            {
                refused ??= e;
                throw new InvalidDataException(e.Message, e);
            }
            catch (Exception e) when (e is not (IOException or InvalidDataException or OutOfMemoryException))
            {
                throw new InvalidDataException($"the backup '{path}' cannot be used: {e.GetType().Name}: {e.Message}", e);
            }
        }
        try
        {
            return CheckpointFallback.RestoreNewestValid(newestFirst, RestoreOrDamage, warn)?.Path;
        }
        catch (InvalidDataException) when (refused is not null)
        {
            throw refused;
        }
    }
}
