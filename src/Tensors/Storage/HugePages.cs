using System.Runtime.InteropServices;

namespace Framework.Tensors.Storage;

/// <summary>Asks Linux to back a memory range with 2 MiB transparent huge pages.</summary>
/// <remarks>
/// <para>The first write to each 4 KiB page of fresh memory is a page fault. On the virtual machines this project is
/// measured on a fault costs about 10 µs, so a new process that creates a 1.2 GB model spends seconds faulting (issue 4:
/// touching 400 MB takes 1.0 s with 4 KiB pages, 0.04 s with huge pages), and copies into 4 KiB-mapped memory also run
/// slower. With transparent huge pages in <c>madvise</c> mode, the default of many distributions, the kernel uses 2 MiB
/// pages only where asked, and only for whole, aligned 2 MiB pages: <see cref="HugePageBuffers"/> hands out ranges that
/// are. The advice is a hint: failures are ignored. Set the environment variable <c>FRAMEWORK_HUGE_PAGES=0</c> to turn it
/// off (to measure without it).</para>
/// </remarks>
internal static partial class HugePages
{
    /// <summary>The size of an x64 transparent huge page.</summary>
    public const long PageSize = 2L << 20;

    private const int MadviseHugePage = 14;

    private static readonly bool s_enabled = OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64
        && Environment.GetEnvironmentVariable("FRAMEWORK_HUGE_PAGES") != "0";

    /// <summary>Whether huge pages are asked for in this process (Linux x64, not turned off).</summary>
    public static bool Enabled => s_enabled;

    /// <summary>Advises <c>[start, start + length)</c>, which should be whole huge pages; true if the kernel took the advice.</summary>
    public static bool Advise(nint start, long length) =>
        s_enabled && Madvise(start, (nuint)length, MadviseHugePage) == 0;

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
