using System.Diagnostics;
using System.Globalization;
using Framework.Tensors;
using Framework.Training;
using Mnist;

namespace Framework.Benchmarks;

/// <summary>
/// Issue 5's target: <see cref="ModelCheckpoint"/> at every epoch end adds at most 5 % to the wall time of the MNIST
/// reference run (5 epochs, 8,000 training and 2,000 validation digits, batch 32, validation every epoch).
/// </summary>
/// <remarks>
/// <para><c>dotnet run -c Release --project tests/Framework.Benchmarks -- ckpt-cost [--repeats 5] [--epochs 5] [--threads 1]
/// [--data ../shared/data/mnist] [--dir DIR] [--train-samples 8000]</c>. One warm-up run, then rounds of three Fit calls in alternating order
/// (none, weights-only, whole model, and a raw floor — the weights copied out and 3× their bytes written with one fsync; the order rotates each round so drift in the machine's load is shared), each from the
/// same seed. Prints each run's Fit wall time and the time spent inside the saves (timed between a callback just before
/// and one just after the <see cref="ModelCheckpoint"/>), then medians and ratios.</para>
/// <para>Then it splits one save's cost: <c>SaveWeights</c> and <c>Save</c> of the trained model against writing the same
/// number of bytes raw, with and without fsync, so the part the disk takes is separated from the part the code takes.</para>
/// </remarks>
public static class CheckpointCost
{
    private static readonly string[] s_variants = ["none", "weights", "model", "raw"];

    /// <summary>Runs the measurement; see the remarks for the options.</summary>
    public static void Run(string[] args)
    {
        int repeats = int.Parse(Option(args, "--repeats", "5"), CultureInfo.InvariantCulture);
        int epochs = int.Parse(Option(args, "--epochs", "5"), CultureInfo.InvariantCulture);
        Threading.MaxThreads = int.Parse(Option(args, "--threads", "1"), CultureInfo.InvariantCulture);
        string root = Path.GetFullPath(Option(args, "--dir", Path.Combine("runs", "ckpt-cost")));
        var (x, y) = MnistDataset.Load(Option(args, "--data", "../shared/data/mnist"), "t10k");
        var data = MnistSplit.FirstAndLast(x, y, 8000, 2000);
        // --train-samples 60000: the 8,000 training digits repeated to the size of MNIST's training set, so an epoch costs
        // what the reference run's epoch over the 60,000 training digits costs (only the 10,000 test digits are at hand).
        int samples = int.Parse(Option(args, "--train-samples", "8000"), CultureInfo.InvariantCulture);
        if (samples != 8000)
        {
            using var _ = Autograd.NoGrad();
            var tiled = Tensor.FromArray(Enumerable.Range(0, samples).Select(i => (long)(i % 8000)).ToArray());
            data = data with { XTrain = data.XTrain.Gather(tiled), YTrain = data.YTrain.Gather(tiled) };
        }
        Console.WriteLine($"threads={Threading.MaxThreads} epochs={epochs} repeats={repeats} dir={root} cpu={Environment.ProcessorCount}");

        Measure(data, epochs, "none", root);   // warm-up: JIT, pools
        var runs = s_variants.ToDictionary(v => v, _ => new List<(double Fit, double Saves)>());
        for (int round = 0; round < repeats; round++)
        {
            for (int k = 0; k < s_variants.Length; k++)
            {
                string variant = s_variants[(round + k) % s_variants.Length];
                var run = Measure(data, epochs, variant, root);
                runs[variant].Add(run);
                Console.WriteLine($"round {round + 1} {variant,-7} fit {run.Fit:0.000} s, inside saves {run.Saves * 1e3:0.0} ms  ({Load()})");
            }
        }
        if (repeats == 0)
        {
            SaveBreakdown.Run(data, root);   // --repeats 0: only the breakdown (for strace and perf)
            return;
        }
        double baseline = Median(runs["none"].Select(r => r.Fit));
        foreach (string variant in s_variants)
        {
            double fit = Median(runs[variant].Select(r => r.Fit));
            Console.WriteLine($"{variant,-7} median fit {fit:0.000} s (runs {string.Join(" ", runs[variant].Select(r => r.Fit.ToString("0.000", CultureInfo.InvariantCulture)))}), "
                + $"ratio {fit / baseline:0.000}, median inside saves {Median(runs[variant].Select(r => r.Saves)) * 1e3:0.0} ms");
        }
        SaveBreakdown.Run(data, root);
    }

    /// <summary>One Fit of the reference model from the same seed: its wall time, and the time spent inside the checkpoint callback.</summary>
    private static (double Fit, double Saves) Measure(MnistSplit data, int epochs, string variant, string root)
    {
        string directory = Path.Combine(root, variant);
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        var model = ReferenceModel.Create(seed: 42);
        var saveClock = new Stopwatch();
        var callbacks = new List<Callback> { new LambdaCallback { EpochEnd = (_, _) => saveClock.Start() } };
        if (variant == "weights") callbacks.Add(new ModelCheckpoint(Path.Combine(directory, "weights"), saveWeightsOnly: true));
        if (variant == "model") callbacks.Add(new ModelCheckpoint(Path.Combine(directory, "model")));
        if (variant == "raw") callbacks.Add(new LambdaCallback { EpochEnd = (_, _) => RawFloor(model, Path.Combine(directory, "raw")) });
        callbacks.Add(new LambdaCallback { EpochEnd = (_, _) => saveClock.Stop() });
        GC.Collect();
        var clock = Stopwatch.StartNew();
        model.Fit(data.XTrain, data.YTrain, epochs: epochs, batchSize: 32, verbose: 0, validationData: (data.XVal, data.YVal), callbacks: callbacks);
        return (clock.Elapsed.TotalSeconds, saveClock.Elapsed.TotalSeconds);
    }

    /// <summary>The floor a synchronous save cannot go under: copy the weights out and write as many bytes as a weights
    /// checkpoint holds (weights, Adam's m and v: three times the weights) to one file with one fsync.</summary>
    private static void RawFloor(Model model, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var values = model.GetWeightValues();
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        for (int copy = 0; copy < 3; copy++)
        {
            foreach (var value in values) stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(value.AsSpan()));
        }
        stream.Flush(flushToDisk: true);
    }

    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    internal static string Load() => File.Exists("/proc/loadavg") ? "load " + string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "load ?";

    private static string Option(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
