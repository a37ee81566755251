using System.Diagnostics;

namespace Framework.Benchmarks;

/// <summary>Wall-clock timing of back-to-back calls, shared by the side-by-side commands.</summary>
internal static class WallClock
{
    /// <summary>Seconds per call of <paramref name="iterations"/> back-to-back calls.</summary>
    public static double PerCall(Action call, int iterations)
    {
        long begin = Stopwatch.GetTimestamp();
        for (int i = 0; i < iterations; i++)
            call();
        return Stopwatch.GetElapsedTime(begin).TotalSeconds / iterations;
    }
}
