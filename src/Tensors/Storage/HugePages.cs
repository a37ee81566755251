using System.Runtime.InteropServices;

namespace Framework.Tensors.Storage;

/// <summary>Asks Linux to back large host buffers with 2 MiB transparent huge pages.</summary>
/// <remarks>
/// <para>The first write to each 4 KiB page of fresh memory is a page fault. On the virtual machines this project is
/// measured on a fault costs about 10 µs, so a new process that creates a 1.2 GB model spends seconds faulting (issue 4:
/// touching 400 MB takes 1.0 s with 4 KiB pages, 0.04 s with huge pages). With transparent huge pages in
/// <c>madvise</c> mode, the default of many distributions, the kernel uses 2 MiB pages only where asked.</para>
/// <para>The advice covers every huge page the buffer overlaps, not only those wholly inside it: pooled arrays lie back
/// to back, each starting just past a 2 MiB boundary, so the 3.8 MiB of a 1000×1000 float tensor never contain one. The pages at either end are
/// shared with neighbouring heap memory, normally other large arrays; advice changes no contents, and costs at most that
/// the untouched tail of a pooled array becomes resident with its huge page. A 2 MiB range that already has 4 KiB pages
/// mapped (the one holding the array header, for example) keeps them. The advice is a hint: failures are ignored. Set
/// the environment variable <c>FRAMEWORK_HUGE_PAGES=0</c> to turn it off (to measure without it).</para>
/// </remarks>
internal static partial class HugePages
{
    /// <summary>The size of an x64 transparent huge page.</summary>
    public const long PageSize = 2L << 20;

    /// <summary>Buffers smaller than one huge page are not advised: they would save few faults.</summary>
    public const long MinimumBytes = PageSize;

    private const int MadviseHugePage = 14;

    private static readonly bool s_enabled = OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64
        && Environment.GetEnvironmentVariable("FRAMEWORK_HUGE_PAGES") != "0";

    /// <summary>Whether advice is given in this process (Linux x64, not turned off).</summary>
    public static bool Enabled => s_enabled;

    /// <summary>The huge pages that <c>[start, start + length)</c> overlaps: their first address and total length.</summary>
    public static (ulong Start, ulong Length) Covering(ulong start, ulong length)
    {
        ulong mask = (ulong)PageSize - 1;
        ulong first = start & ~mask;
        ulong end = (start + length + mask) & ~mask;
        return (first, end - first);
    }

    /// <summary>Advises the huge pages under <paramref name="array"/>'s first <paramref name="bytes"/> bytes; true if advice was given.</summary>
    public static unsafe bool Advise(Array array, long bytes)
    {
        if (!s_enabled || bytes < MinimumBytes) return false;
        // Pinned for the call only: if a compacting GC later moves the array, the hint simply stays with the old range.
        fixed (byte* data = &MemoryMarshal.GetArrayDataReference(array))
        {
            var (start, length) = Covering((ulong)data, (ulong)bytes);
            return Madvise((nint)start, (nuint)length, MadviseHugePage) == 0;
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
