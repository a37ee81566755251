namespace Framework.Serialization;

/// <summary>An advisory lock on a checkpoint directory, held by one process at a time (issue 12, defect 10).</summary>
/// <remarks>
/// <para>The lock is the file <c>directory/checkpoint.lock</c>, opened with <see cref="FileShare.None"/>: on Linux and
/// macOS .NET takes an exclusive <c>flock</c> on it, on Windows the open itself is exclusive. The OS releases it when the
/// process exits or is killed, so a crashed run never leaves the directory locked; the file itself stays, harmlessly.</para>
/// <para>Within one process the lock is shared: every holder of the same directory counts, and the file is closed when
/// the last one is disposed. Two writers in one process are the program's own business; two processes are two runs
/// that would number their checkpoints alike and overwrite each other.</para>
/// </remarks>
internal sealed class DirectoryLock : IDisposable
{
    /// <summary>The lock file's name inside the directory.</summary>
    public const string FileName = "checkpoint.lock";

    private static readonly Dictionary<string, (FileStream File, int Holders)> s_held = new(StringComparer.Ordinal);
    private string? _directory;

    private DirectoryLock(string directory) => _directory = directory;

    /// <summary>Locks <paramref name="directory"/> (created if missing) for this process.</summary>
    /// <param name="directory">The checkpoint directory.</param>
    /// <param name="owner">Who asks, for the error message (e.g. <c>CheckpointManager</c>).</param>
    /// <exception cref="IOException">Another process holds the lock; the message names the directory and what to do.</exception>
    public static DirectoryLock Acquire(string directory, string owner)
    {
        string full = Path.GetFullPath(directory);
        lock (s_held)
        {
            if (s_held.TryGetValue(full, out var held))
            {
                s_held[full] = (held.File, held.Holders + 1);
                return new DirectoryLock(full);
            }
            Directory.CreateDirectory(full);
            string path = Path.Combine(full, FileName);
            FileStream file;
            try
            {
                file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1);
            }
            catch (IOException e) when (File.Exists(path))
            {
                throw new IOException($"{owner}: the checkpoint directory '{full}' is in use by another process (it holds '{path}'). " +
                    "Two processes saving into one directory would number their checkpoints alike and overwrite each other's; " +
                    "give each run its own directory, or stop the other process first.", e);
            }
            // Informational only (the lock is the open file, not its contents): which process holds it.
            file.SetLength(0);
            file.Write(System.Text.Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n"));
            file.Flush();
            s_held[full] = (file, 1);
            return new DirectoryLock(full);
        }
    }

    /// <summary>Releases this holder's share of the lock.</summary>
    public void Dispose()
    {
        lock (s_held)
        {
            if (_directory is null || !s_held.TryGetValue(_directory, out var held)) return;
            if (held.Holders > 1)
            {
                s_held[_directory] = (held.File, held.Holders - 1);
            }
            else
            {
                s_held.Remove(_directory);
                held.File.Dispose();
            }
            _directory = null;
        }
    }
}
