using System.Runtime.InteropServices;

namespace Framework.Serialization;

/// <summary>Crash-safe file replacement: write a temporary file, flush it to disk, rename it over the target, sync the directory.</summary>
internal static partial class AtomicFile
{
    /// <summary>A fresh temporary name next to <paramref name="finalPath"/>, in TensorFlow's <c>…tempstate&lt;random&gt;</c> style.</summary>
    public static string TempPathFor(string finalPath) => $"{finalPath}.tempstate{Random.Shared.NextInt64():x16}";

    /// <summary>Creates the temporary file exclusively, for writing.</summary>
    public static FileStream CreateTemp(string tempPath, int bufferSize = 1 << 16) =>
        new(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize);

    /// <summary>Renames a finished (already fsynced) temporary file onto its final name.</summary>
    public static void Commit(string tempPath, string finalPath) => File.Move(tempPath, finalPath, overwrite: true);

    /// <summary>Writes <paramref name="contents"/> to <paramref name="finalPath"/> atomically.</summary>
    public static void WriteAllBytes(string finalPath, ReadOnlySpan<byte> contents)
    {
        string temp = TempPathFor(finalPath);
        try
        {
            using (var stream = CreateTemp(temp))
            {
                stream.Write(contents);
                stream.Flush(flushToDisk: true);
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

    /// <summary>Flushes a directory's entries (the renames) to disk on Linux; elsewhere a no-op.</summary>
    /// <remarks>Without this, a power loss after a rename can still lose the rename on ext4/xfs.</remarks>
    public static void SyncDirectory(string? directory)
    {
        if (directory is null || !OperatingSystem.IsLinux())
            return;
        // O_RDONLY | O_DIRECTORY: the flag's value differs between x64 and arm64 Linux.
        int flags = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x4000 : 0x10000;
        int fd = Open(directory, flags);
        if (fd < 0)
            return;
        _ = FSync(fd);
        _ = Close(fd);
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
