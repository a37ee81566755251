using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Framework.Serialization;

/// <summary>Crash-safe file replacement: write a temporary file, flush it to disk, rename it over the target, sync the
/// directory. Every file-system step goes through here (or announces itself to <see cref="SaveSteps"/>), so the crash
/// tests can stop a save right before it.</summary>
public static partial class AtomicFile
{
    /// <summary>What follows the final name in our temporary names: <c>.tempstate-</c> and 16 hex digits.</summary>
    /// <remarks>TensorFlow writes <c>.tempstate</c> followed by decimal digits; the dash keeps its files (and anyone else's)
    /// out of <see cref="LeftoverTemporaries"/>.</remarks>
    public const string TempMarker = ".tempstate-";

    // The temporaries of saves running in this process: never leftovers, whatever their age.
    private static readonly ConcurrentDictionary<string, byte> s_live = new(StringComparer.Ordinal);

    /// <summary>How long a temporary must have been left untouched before another save may remove it as a leftover.</summary>
    /// <remarks>A temporary is closed (and so unlocked) only between its last write and its rename, which takes
    /// milliseconds; a minute of silence means its save died. Tests shorten it.</remarks>
    public static TimeSpan LeftoverAge { get; internal set; } = TimeSpan.FromMinutes(1);

    /// <summary>A fresh temporary name next to <paramref name="finalPath"/>: <c>finalPath.tempstate-&lt;16 hex digits&gt;</c>.</summary>
    public static string TempPathFor(string finalPath) => $"{finalPath}{TempMarker}{Random.Shared.NextInt64():x16}";

    /// <summary>Creates the temporary file exclusively, for writing (<paramref name="access"/>: also for reading, for writers
    /// that seek back), and locks it (an advisory lock the OS drops if the process dies) so other saves can tell a live
    /// temporary from a leftover.</summary>
    public static FileStream CreateTemp(string tempPath, int bufferSize = 1 << 16, FileAccess access = FileAccess.Write)
    {
        s_live[Path.GetFullPath(tempPath)] = 0;
        try
        {
            return new FileStream(tempPath, FileMode.CreateNew, access, FileShare.None, bufferSize);
        }
        catch
        {
            Forget(tempPath);
            throw;
        }
    }

    /// <summary>Flushes a written file to disk (announced as a save step).</summary>
    public static void Fsync(FileStream file)
    {
        SaveSteps.Before(SaveStep.Fsync, file.Name);
        file.Flush(flushToDisk: true);
    }

    /// <summary>Renames a finished (already fsynced and closed) temporary file onto its final name.</summary>
    public static void Commit(string tempPath, string finalPath)
    {
        SaveSteps.Before(SaveStep.Rename, finalPath);
        File.Move(tempPath, finalPath, overwrite: true);
        Forget(tempPath);
    }

    /// <summary>Deletes a file that is part of a checkpoint (announced as a save step); a missing file is no error.</summary>
    public static void Delete(string path)
    {
        SaveSteps.Before(SaveStep.Unlink, path);
        File.Delete(path);
    }

    /// <summary>Gives <paramref name="existing"/> a second name, <paramref name="newPath"/>, which must not exist.</summary>
    /// <remarks>A hard link costs no copy and keeps the file's current contents reachable under the new name whatever is
    /// later renamed over the old one. Where links are not supported, the file is copied and flushed instead.</remarks>
    /// <exception cref="IOException">Neither a link nor a copy could be made.</exception>
    public static void Link(string existing, string newPath)
    {
        SaveSteps.Before(SaveStep.Link, newPath);
        if (!OperatingSystem.IsWindows() && HardLink(existing, newPath) == 0) return;
        File.Copy(existing, newPath);
        using var copy = new FileStream(newPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        copy.Flush(flushToDisk: true);
    }

    /// <summary>Writes <paramref name="contents"/> to <paramref name="finalPath"/> atomically.</summary>
    public static void WriteAllBytes(string finalPath, ReadOnlySpan<byte> contents)
    {
        string temp = TempPathFor(finalPath);
        try
        {
            using (var stream = CreateTemp(temp))
            {
                stream.Write(contents);
                Fsync(stream);
            }
            Commit(temp, finalPath);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(finalPath)));
    }

    /// <summary>Deletes a file, ignoring failures (used while unwinding from another error).</summary>
    public static void TryDelete(string path)
    {
        Forget(path);
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Removes the temporaries that killed saves left in <paramref name="directory"/> (issue 12, defect 9).</summary>
    /// <remarks>Only files named by <see cref="TempPathFor"/> are candidates; of those, a file is a leftover when no save
    /// of this process is writing it, no process holds its lock, and it has not been written for <see cref="LeftoverAge"/>.
    /// Failures are ignored: a leftover that cannot be removed now is tried again by the next save.</remarks>
    public static void RemoveLeftovers(string directory)
    {
        foreach (string path in LeftoverTemporaries(directory))
        {
            try
            {
                // The lock probe: a live save in another process holds its temporary's lock until it closes it.
                using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1);
                if (DateTime.UtcNow - File.GetLastWriteTimeUtc(path) < LeftoverAge) continue;
                Delete(path);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary>The files in <paramref name="directory"/> named like our temporaries that no save of this process is writing.</summary>
    public static IEnumerable<string> LeftoverTemporaries(string directory)
    {
        if (!Directory.Exists(directory)) return [];
        return Directory.EnumerateFiles(directory, "*" + TempMarker + "*").Where(f => IsTempName(f) && !s_live.ContainsKey(Path.GetFullPath(f))).ToList();
    }

    /// <summary>Whether <paramref name="path"/> ends like a name from <see cref="TempPathFor"/>.</summary>
    public static bool IsTempName(string path)
    {
        int at = path.LastIndexOf(TempMarker, StringComparison.Ordinal);
        if (at < 0 || path.Length - at - TempMarker.Length != 16) return false;
        foreach (char c in path.AsSpan(at + TempMarker.Length))
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c)) return false;
        }
        return true;
    }

    /// <summary>Flushes a directory's entries (the renames) to disk on Linux; elsewhere a no-op.</summary>
    /// <remarks>Without this, a power loss after a rename can still lose the rename on ext4/xfs.</remarks>
    public static void SyncDirectory(string? directory)
    {
        if (directory is null || !OperatingSystem.IsLinux())
            return;
        SaveSteps.Before(SaveStep.FsyncDirectory, directory);
        // O_RDONLY | O_DIRECTORY: the flag's value differs between x64 and arm64 Linux.
        int flags = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x4000 : 0x10000;
        int fd = Open(directory, flags);
        if (fd < 0)
            return;
        _ = FSync(fd);
        _ = Close(fd);
    }

    private static void Forget(string tempPath) => s_live.TryRemove(Path.GetFullPath(tempPath), out _);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int HardLink(string existing, string newPath);
}
