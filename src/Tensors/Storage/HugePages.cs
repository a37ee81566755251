using System.Runtime.InteropServices;

namespace Framework.Tensors.Storage;

/// <summary>Asks Linux to back the interior of large host buffers with 2 MiB transparent huge pages.</summary>
/// <remarks>
/// <para>The first write to each 4 KiB page of fresh memory is a page fault. On the virtual machines this project is
/// measured on a fault costs about 10 µs, so a new process that creates a 1.2 GB model spends seconds faulting (issue 4:
/// touching 400 MB takes 1.0 s with 4 KiB pages, 0.04 s with huge pages). With transparent huge pages in
/// <c>madvise</c> mode, the default of many distributions, the kernel uses 2 MiB pages only where asked.</para>
/// <para>Only the 2 MiB-aligned interior of a buffer is advised, so memory shared with other objects is never touched;
/// memory already faulted in keeps its pages. The advice is a hint: failures are ignored. Set the environment variable
/// <c>FRAMEWORK_HUGE_PAGES=0</c> to turn it off (to measure without it).</para>
/// </remarks>
internal static partial class HugePages
{
    /// <summary>The size of an x64 transparent huge page.</summary>
    public const long PageSize = 2L << 20;

    /// <summary>Buffers smaller than this are not advised: their interior would hold at most one huge page.</summary>
    public const long MinimumBytes = 4L << 20;

    private const int MadviseHugePage = 14;

    private static readonly bool s_enabled = OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64
        && Environment.GetEnvironmentVariable("FRAMEWORK_HUGE_PAGES") != "0";

    /// <summary>Whether advice is given in this process (Linux x64, not turned off).</summary>
    public static bool Enabled => s_enabled;

    /// <summary>The whole huge pages inside <c>[start, start + length)</c>: their first address and total length (0 if none).</summary>
    public static (ulong Start, ulong Length) Interior(ulong start, ulong length)
    {
        ulong first = (start + (ulong)PageSize - 1) & ~((ulong)PageSize - 1);
        ulong end = (start + length) & ~((ulong)PageSize - 1);
        return end > first ? (first, end - first) : (first, 0);
    }

    /// <summary>Advises the interior of <paramref name="array"/>'s first <paramref name="bytes"/> bytes; true if advice was given.</summary>
    public static unsafe bool Advise(Array array, long bytes)
    {
        if (!s_enabled || bytes < MinimumBytes) return false;
        // Pinned for the call only: if a compacting GC later moves the array, the hint simply stays with the old range.
        fixed (byte* data = &MemoryMarshal.GetArrayDataReference(array))
        {
            var (start, length) = Interior((ulong)data, (ulong)bytes);
            return length > 0 && Madvise((nint)start, (nuint)length, MadviseHugePage) == 0;
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
