using System.Runtime.InteropServices;

namespace Framework.Training.Saving;

/// <summary>Flushes a directory's entries (new files, renames) to disk on Linux; elsewhere a no-op.</summary>
/// <remarks>The same few lines as Serialization's internal AtomicFile: Training may not see Serialization's internals, and
/// a directory swap is only crash-safe once the parent's entries are on disk (ext4/xfs can otherwise lose a rename).</remarks>
internal static partial class DirectorySync
{
    /// <summary>Calls fsync on <paramref name="directory"/>, ignoring failures (durability is best effort, correctness is not at stake).</summary>
    public static void Sync(string directory)
    {
        if (!OperatingSystem.IsLinux()) return;
        // O_RDONLY | O_DIRECTORY: the flag's value differs between x64 and arm64 Linux.
        int flags = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x4000 : 0x10000;
        int fd = Open(directory, flags);
        if (fd < 0) return;
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
