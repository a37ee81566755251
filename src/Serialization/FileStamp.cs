using Microsoft.Win32.SafeHandles;

namespace Framework.Serialization;

/// <summary>An open file's length and last modification time: what changes when the file is rewritten in place.</summary>
internal readonly record struct FileStamp(long Length, DateTime LastWriteUtc)
{
    /// <summary>The stamp of the file behind <paramref name="handle"/> now.</summary>
    public static FileStamp Of(SafeFileHandle handle) => new(RandomAccess.GetLength(handle), File.GetLastWriteTimeUtc(handle));
}
