using System.Globalization;

namespace Framework.Benchmarks;

/// <summary>Peak resident memory of this process since <see cref="Start"/>, from <c>/proc/self/status</c> (Linux).</summary>
/// <remarks>Writing 5 to <c>/proc/self/clear_refs</c> resets the kernel's high-water mark (VmHWM) to the current
/// resident size, so the peak of one operation can be read without a fresh process.</remarks>
public sealed class PeakMemory
{
    private readonly long _startRss;

    private PeakMemory(long startRss) => _startRss = startRss;

    /// <summary>Resets the high-water mark and records the resident size now.</summary>
    public static PeakMemory Start()
    {
        File.WriteAllText("/proc/self/clear_refs", "5");
        return new PeakMemory(Read("VmRSS"));
    }

    /// <summary>Peak, start and extra resident MB, where extra = peak − start − <paramref name="tensorBytes"/> allocated since.</summary>
    public string Report(long tensorBytes)
    {
        long peak = Read("VmHWM");
        long huge = Read("AnonHugePages", "/proc/self/smaps_rollup");
        return FormattableString.Invariant($"peak RSS {peak / 1e6:0} MB, RSS at start {_startRss / 1e6:0} MB, tensors {tensorBytes / 1e6:0} MB, extra {(peak - _startRss - tensorBytes) / 1e6:0} MB, in huge pages now {huge / 1e6:0} MB");
    }

    private static long Read(string field, string file = "/proc/self/status")
    {
        foreach (string line in File.ReadLines(file))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        return 0;
    }
}
