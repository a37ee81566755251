using System.Diagnostics;
using System.Globalization;
using Framework.Tensors;
using Framework.Tensors.Backends;
using Framework.Tensors.Kernels;

namespace Framework.Benchmarks;

/// <summary>
/// GFLOP/s of our Conv2D forward, input-gradient and kernel-gradient kernels on the shapes of
/// <c>tests/tools/conv_peer.py</c> (the MNIST CNN's two layers at batch 128, and 3×3 64→64 56×56 at batch 32), with
/// its method: one warm-up sample, then repeats of back-to-back calls lasting <c>--min-time</c> seconds, median.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project tests/Framework.Benchmarks -- conv [--threads 1,2] [--repeats 5] [--min-time 0.3]
/// [--clock wall|thread|process] [--ab]</c>; prints JSON lines with the peer's fields so the two can be set side by side.
/// <c>--clock thread</c> times the calling thread's CPU (steadier on a shared machine; meaningful on 1 thread only);
/// <c>--ab</c> adds a <c>forward_im2col</c> pass, the im2col + SGEMM forward that <see cref="Conv2DDirect"/> replaced,
/// interleaved with the others so both meet the same load.
/// </remarks>
public static unsafe class ConvRatio
{
    /// <summary>Name, batch, height, width, in, out, kernel, padding: the peer's list.</summary>
    internal static readonly (string Name, int N, int H, int W, int Cin, int Cout, int K, Padding Padding)[] Shapes =
    [
        ("cnn_conv1_128x28x28x1_to_32", 128, 28, 28, 1, 32, 3, Padding.Valid),
        ("cnn_conv2_128x26x26x32_to_64", 128, 26, 26, 32, 64, 3, Padding.Valid),
        ("resnet_32x56x56x64_to_64_same", 32, 56, 56, 64, 64, 3, Padding.Same),
    ];

    public static void Run(string[] args)
    {
        var threads = Option(args, "--threads", "1,2").Split(',').Select(int.Parse).ToArray();
        int repeats = int.Parse(Option(args, "--repeats", "5"), CultureInfo.InvariantCulture);
        double minTime = double.Parse(Option(args, "--min-time", "0.3"), CultureInfo.InvariantCulture);
        string clock = Option(args, "--clock", "wall");
        bool ab = args.Contains("--ab");
        foreach (int t in threads)
        {
            Threading.MaxThreads = t;
            foreach (var s in Shapes)
            {
                using var operands = new ConvOperands(s.N, s.H, s.W, s.Cin, s.Cout, s.K, s.Padding);
                foreach (var (pass, call) in operands.Passes(ab))
                {
                    double seconds = Measure(call, repeats, minTime, clock, t);
                    Console.WriteLine($$"""{"bench": "conv", "lib": "framework", "threads": {{t}}, "shape": "{{s.Name}}", "pass": "{{pass}}", "ms_median": {{(seconds * 1e3).ToString("0.000", CultureInfo.InvariantCulture)}}, "gflops_median": {{(operands.Flop / seconds / 1e9).ToString("0.0", CultureInfo.InvariantCulture)}}}""");
                }
            }
        }
    }

    private static double Measure(Action call, int repeats, double minTime, string clock, int threads)
    {
        call();
        var watch = Stopwatch.StartNew();
        call();
        int iterations = Math.Max(1, (int)(minTime / Math.Max(watch.Elapsed.TotalSeconds, 1e-7)));
        for (int i = 0; i < iterations; i++) call();
        var samples = new List<double>();
        for (int r = 0; r < repeats; r++)
            samples.Add(GemmRatio.Time(call, clock, threads, iterations));
        samples.Sort();
        return samples[samples.Count / 2];
    }

    private static string Option(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}

/// <summary>Random NHWC operands of one convolution and the three kernel calls on them.</summary>
internal sealed unsafe class ConvOperands : IDisposable
{
    private readonly float* _x, _w, _y, _dx, _dw;
    private readonly WindowGeometry _g;
    private readonly int _cout;

    public ConvOperands(int n, int h, int w, int cin, int cout, int k, Padding padding)
    {
        _g = WindowGeometry.Create("bench", new Shape(n, h, w, cin), k, 1, 1, padding);
        _cout = cout;
        long xSize = (long)n * h * w * cin, wSize = (long)k * k * cin * cout, ySize = (long)n * _g.OutPixels * cout;
        _x = GemmRatio.AllocateRandom(xSize, 1);
        _w = GemmRatio.AllocateRandom(wSize, 2);
        _y = GemmRatio.AllocateRandom(ySize, 3);
        _dx = GemmRatio.AllocateRandom(xSize, 4);
        _dw = GemmRatio.AllocateRandom(wSize, 5);
        Flop = 2.0 * ySize * k * k * cin;
    }

    /// <summary>FLOP of one pass: 2·N·OH·OW·KH·KW·Cin·Cout.</summary>
    public double Flop { get; }

    public IEnumerable<(string Pass, Action Call)> Passes(bool withIm2ColForward = false) =>
    [
        ("forward", () => Conv2DKernels.Forward(_x, _w, _y, _g, _cout)),
        .. withIm2ColForward ? new (string, Action)[] { ("forward_im2col", Im2ColForward) } : [],
        ("input_grad", () => Conv2DKernels.BackwardInput(_y, _w, _dx, _g, _cout)),
        ("kernel_grad", () => Conv2DKernels.BackwardKernel(_x, _y, _dw, _g, _cout)),
    ];

    private void Im2ColForward()
    {
        Conv2DDirect.Enabled = false;
        try
        {
            Conv2DKernels.Forward(_x, _w, _y, _g, _cout);
        }
        finally
        {
            Conv2DDirect.Enabled = true;
        }
    }

    public void Dispose()
    {
        System.Runtime.InteropServices.NativeMemory.AlignedFree(_x);
        System.Runtime.InteropServices.NativeMemory.AlignedFree(_w);
        System.Runtime.InteropServices.NativeMemory.AlignedFree(_y);
        System.Runtime.InteropServices.NativeMemory.AlignedFree(_dx);
        System.Runtime.InteropServices.NativeMemory.AlignedFree(_dw);
    }
}
