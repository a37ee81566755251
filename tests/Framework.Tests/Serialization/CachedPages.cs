using System.Runtime.InteropServices;

namespace Framework.Tests.Serialization;

/// <summary>How many pages of a file the kernel holds in its page cache (Linux <c>mincore</c> over a read-only mapping).</summary>
/// <remarks>The mapping is never touched, so it faults nothing in itself; it also keeps the file's data alive after the file
/// is renamed over or deleted, which lets a test look at the pages of a file a save replaced.</remarks>
internal sealed partial class CachedPages : IDisposable
{
    private readonly nint _address;
    private readonly long _length;

    private CachedPages(nint address, long length)
    {
        _address = address;
        _length = length;
    }

    /// <summary>Whether this platform can answer (Linux).</summary>
    public static bool Supported => OperatingSystem.IsLinux();

    /// <summary>Maps <paramref name="path"/> (which must not be empty) to watch its cached pages.</summary>
    public static CachedPages Watch(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        long length = RandomAccess.GetLength(handle);
        nint address = Mmap(0, (nuint)length, ProtRead, MapShared, (int)handle.DangerousGetHandle(), 0);
        if (address == -1) throw new IOException($"mmap of '{path}' failed: errno {Marshal.GetLastPInvokeError()}.");
        return new CachedPages(address, length);
    }

    /// <summary>The number of the file's pages now in the page cache.</summary>
    public unsafe int Resident()
    {
        int pages = (int)((_length + Environment.SystemPageSize - 1) / Environment.SystemPageSize);
        var vector = new byte[pages];
        fixed (byte* v = vector)
        {
            if (Mincore(_address, (nuint)_length, v) != 0) throw new IOException($"mincore failed: errno {Marshal.GetLastPInvokeError()}.");
        }
        return vector.Count(b => (b & 1) != 0);
    }

    public void Dispose() => _ = Munmap(_address, (nuint)_length);

    private const int ProtRead = 1;
    private const int MapShared = 1;

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int Munmap(nint address, nuint length);

    [LibraryImport("libc", EntryPoint = "mincore", SetLastError = true)]
    private static unsafe partial int Mincore(nint address, nuint length, byte* vector);
}
