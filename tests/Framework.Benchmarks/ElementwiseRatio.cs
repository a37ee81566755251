using System.Diagnostics;
using System.Globalization;
using Framework.Tensors;

namespace Framework.Benchmarks;

/// <summary>
/// Side-by-side timing of the element-wise ops and reductions on 1M float32 with the method of
/// <c>tests/tools/elementwise_peer.py</c> (the PyTorch/NumPy side): one warm-up sample, then <c>--repeats</c> samples
/// of back-to-back calls lasting at least <c>--min-time</c> seconds each, median microseconds per call. Each call
/// allocates its output, as <c>torch.add(a, b)</c> does (ours from the tensor pool, inside a <see cref="TensorScope"/>).
/// A single-threaded copy of 4 MB is timed in the same run as the bandwidth yardstick.
/// </summary>
/// <remarks>Usage: <c>dotnet Framework.Benchmarks.dll elementwise [--threads 1,2] [--repeats 5] [--min-time 0.25] [--warmup 2]</c>
/// (<c>--warmup</c>: seconds each op runs untimed before any is timed);
/// prints one JSON object per op and thread count, which <c>tests/tools/elementwise_table.py</c> turns into a table.</remarks>
public static class ElementwiseRatio
{
    private const int N = 1 << 20;

    /// <summary>Runs the timing and prints the results as JSON lines.</summary>
    public static void Run(string[] args)
    {
        int[] threads = [1, 2];
        int repeats = 5;
        double minTime = 0.25;
        double warmup = 2;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--threads": threads = args[i + 1].Split(',').Select(int.Parse).ToArray(); break;
                case "--repeats": repeats = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--min-time": minTime = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--warmup": warmup = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'.", nameof(args));
            }
        }

        var source = new float[N];
        new RandomGenerator(1).FillNormal(source, 0, 1);
        var copySource = TensorLikeMemory.Rent(N * sizeof(float));
        var copyDestination = TensorLikeMemory.Rent(N * sizeof(float));
        source.CopyTo(copySource.Floats);
        var a = Tensor.FromArray(source, N);
        var b = Tensor.FromArray(source.Reverse().ToArray(), N);
        var rows = a.Reshape(N / 1024, 1024);

        (string Name, Action Call)[] ops =
        [
            ("copy", () => copySource.Floats.CopyTo(copyDestination.Floats)),
            ("add", () => Scoped(() => a + b)),
            ("multiply", () => Scoped(() => a * b)),
            ("relu", () => Scoped(() => a.Relu())),
            ("exp", () => Scoped(() => a.Exp())),
            ("multiply_scalar", () => Scoped(() => a * 0.5)),
            ("sum", () => Scoped(() => a.Sum())),
            ("sum_rows", () => Scoped(() => rows.Sum(-1))),
            ("sum_columns", () => Scoped(() => rows.Sum(0))),
            ("softmax_rows", () => Scoped(() => rows.Softmax())),
        ];
        foreach (int t in threads)
        {
            Threading.MaxThreads = t;
            // The JIT needs seconds to replace the first, quickly compiled code of every kernel with optimized code; one
            // sample of 0.25 s left Sum at 106 µs instead of 44.
            foreach (var (_, call) in ops)
                for (long end = Stopwatch.GetTimestamp() + (long)(warmup * Stopwatch.Frequency); Stopwatch.GetTimestamp() < end;)
                    call();
            foreach (var (name, call) in ops)
            {
                var times = Measure(call, repeats, minTime);
                Array.Sort(times);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"kind\":\"result\",\"lib\":\"framework\",\"threads\":{t},\"op\":\"{name}\",\"us_min\":{times[0] * 1e6:F2},\"us_median\":{Median(times) * 1e6:F2}}}"));
            }
        }
    }

    /// <summary>The median of sorted samples, the mean of the middle two for an even count (as Python's
    /// <c>statistics.median</c>, which the peer script uses).</summary>
    private static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;

    private static void Scoped(Func<Tensor> op)
    {
        using var scope = TensorScope.Begin();
        op();
    }

    private static double[] Measure(Action call, int repeats, double minTime)
    {
        call();
        double one = WallClock.PerCall(call, 1);
        int iterations = Math.Max(1, (int)(minTime / Math.Max(one, 1e-7)));
        WallClock.PerCall(call, iterations);
        var times = new double[repeats];
        for (int r = 0; r < repeats; r++)
            times[r] = WallClock.PerCall(call, iterations);
        return times;
    }
}
