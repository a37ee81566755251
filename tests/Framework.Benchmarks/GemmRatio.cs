using System.Globalization;
using System.Runtime.InteropServices;
using Framework.Tensors;
using Framework.Tensors.Kernels;

namespace Framework.Benchmarks;

/// <summary>
/// Side-by-side GEMM timing with the method of the peers' <c>gemm.py</c>: one warm-up sample, then
/// <c>--repeats</c> samples of back-to-back calls lasting at least <c>--min-time</c> seconds each, reported as
/// min/median/max GFLOP/s (2·M·N·K per call). Buffers are allocated and touched before timing.
/// </summary>
/// <remarks>Usage: <c>dotnet run -c Release --project tests/Framework.Benchmarks -- ratio [--threads 1,2] [--repeats 5] [--min-time 0.25] [--shapes all|small|large|NAME] [--clock wall|thread|process]</c>.</remarks>
public static unsafe class GemmRatio
{
    private static readonly (string Name, int M, int N, int K, bool TransA, bool TransB)[] s_shapes =
    [
        ("mlp_fwd_32x784@784x128", 32, 128, 784, false, false),
        ("mlp_dW_(784x32)T@32x128", 784, 128, 32, true, false),
        ("mlp_dX_32x128@(784x128)T", 32, 784, 128, false, true),
        ("square_128", 128, 128, 128, false, false),
        ("square_256", 256, 256, 256, false, false),
        ("square_512", 512, 512, 512, false, false),
        ("square_1024", 1024, 1024, 1024, false, false),
        ("square_2048", 2048, 2048, 2048, false, false),
        ("mlp_big_256x4096@4096x4096", 256, 4096, 4096, false, false),
    ];

    /// <summary>Runs the timing and prints one JSON object per measurement and a Markdown row.</summary>
    public static void Run(string[] args)
    {
        int[] threads = [1, 2];
        int repeats = 5;
        double minTime = 0.25;
        string filter = "all";
        string clock = "wall";
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--threads": threads = args[i + 1].Split(',').Select(int.Parse).ToArray(); break;
                case "--repeats": repeats = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--min-time": minTime = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--shapes": filter = args[i + 1]; break;
                // "thread": CPU time of the calling thread, steadier than wall time on a busy machine, for 1 thread only.
                // "process": process CPU time divided by the thread count, spin-waiting included: the rate if every
                // thread had a core to itself.
                case "--clock": clock = args[i + 1]; break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'.", nameof(args));
            }
        }
        Console.WriteLine($"{{\"kind\":\"env\",\"kernel\":\"{Sgemm.BestKernel}\",\"processors\":{Environment.ProcessorCount},\"runtime\":\"{RuntimeInformation.FrameworkDescription}\"}}");
        foreach (int t in threads)
        {
            Threading.MaxThreads = t;
            foreach (var shape in s_shapes)
            {
                bool small = shape.M * (long)shape.N * shape.K < 64L * 1024 * 1024;
                if ((filter == "small" && !small) || (filter == "large" && small) || (filter != "all" && filter != "small" && filter != "large" && !shape.Name.Contains(filter, StringComparison.Ordinal)))
                    continue;
                var (rates, times) = Measure(shape.M, shape.N, shape.K, shape.TransA, shape.TransB, repeats, minTime, clock, t);
                Array.Sort(rates);
                Array.Sort(times);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"kind\":\"result\",\"lib\":\"framework\",\"threads\":{t},\"shape\":\"{shape.Name}\",\"gflops\":{{\"min\":{rates[0]:F2},\"median\":{rates[repeats / 2]:F2},\"max\":{rates[^1]:F2}}},\"call_us_median\":{times[repeats / 2] * 1e6:F2}}}"));
            }
        }
    }

    private static (double[] Rates, double[] Times) Measure(int m, int n, int k, bool transA, bool transB, int repeats, double minTime, string clock, int threads)
    {
        float* a = AllocateRandom((long)m * k, 1);
        float* b = AllocateRandom((long)k * n, 2);
        float* c = AllocateRandom((long)m * n, 3);
        try
        {
            int lda = transA ? m : k, ldb = transB ? k : n;
            void Call() => Sgemm.Multiply(transA, transB, m, n, k, a, lda, b, ldb, c, n, 0f);
            double flops = 2.0 * m * n * k;
            double one = Time(Call, clock, threads, 1);
            int iterations = Math.Max(1, (int)(minTime / Math.Max(one, 1e-7)));
            one = Time(Call, clock, threads, iterations);
            iterations = Math.Max(1, (int)(minTime / Math.Max(one, 1e-7)));
            var rates = new double[repeats];
            var times = new double[repeats];
            for (int r = 0; r < repeats; r++)
            {
                times[r] = Time(Call, clock, threads, iterations);
                rates[r] = flops / times[r] / 1e9;
            }
            return (rates, times);
        }
        finally
        {
            NativeMemory.AlignedFree(a);
            NativeMemory.AlignedFree(b);
            NativeMemory.AlignedFree(c);
        }
    }

    internal static double Time(Action call, string clock, int threads, int iterations)
    {
        if (clock == "thread")
        {
            double start = CpuSeconds(ClockThreadCpuTime);
            for (int i = 0; i < iterations; i++)
                call();
            return (CpuSeconds(ClockThreadCpuTime) - start) / iterations;
        }
        if (clock == "process")
        {
            double start = CpuSeconds(ClockProcessCpuTime);
            for (int i = 0; i < iterations; i++)
                call();
            return (CpuSeconds(ClockProcessCpuTime) - start) / threads / iterations;
        }
        return WallClock.PerCall(call, iterations);
    }

    internal static double ThreadSeconds() => CpuSeconds(ClockThreadCpuTime);

    internal static double ProcessSeconds() => CpuSeconds(ClockProcessCpuTime);

    private const int ClockProcessCpuTime = 2;
    private const int ClockThreadCpuTime = 3;

    private static double CpuSeconds(int clock)
    {
        TimeSpec time;
        ClockGetTime(clock, &time);
        return time.Seconds + time.Nanoseconds * 1e-9;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, TimeSpec* time);

    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>A 64-byte aligned native buffer of values in [-1, 1) from a seeded generator; free with <see cref="NativeMemory.AlignedFree"/>.</summary>
    internal static float* AllocateRandom(long length, int seed)
    {
        var p = (float*)NativeMemory.AlignedAlloc((nuint)(length * sizeof(float)), 64);
        var random = new Random(seed);
        for (long i = 0; i < length; i++)
            p[i] = (float)(random.NextDouble() * 2 - 1);
        return p;
    }
}
