using System.Diagnostics;
using Framework.Training;
using Mnist;

namespace Framework.Benchmarks;

/// <summary>Where one checkpoint save of the reference model spends its time: the whole <c>SaveWeights</c> and <c>Save</c>
/// against a raw write of the same bytes with and without fsync (part of <see cref="CheckpointCost"/>).</summary>
internal static class SaveBreakdown
{
    private const int Count = 20;

    public static void Run(MnistSplit data, string root)
    {
        var model = ReferenceModel.Create(seed: 42);
        model.Fit(data.XTrain.Slice(0, 320), data.YTrain.Slice(0, 320), epochs: 1, verbose: 0);   // Adam's slots exist
        string directory = Path.Combine(root, "breakdown");
        Directory.CreateDirectory(directory);
        string weights = Path.Combine(directory, "weights");
        model.SaveWeights(weights);
        long bytes = new FileInfo(weights + ".data-00000-of-00001").Length + new FileInfo(weights + ".index").Length;
        var payload = new byte[bytes];
        Random.Shared.NextBytes(payload);
        Console.WriteLine($"save breakdown ({CheckpointCost.Load()}): {bytes / 1e6:0.000} MB per weights checkpoint; median of {Count}, ms:");
        Report("SaveWeights (bundle + state file, fsync, atomic rename)", () => model.SaveWeights(weights));
        Report("Save (whole model directory)", () => model.Save(Path.Combine(directory, "model")));
        Report("raw write of the same bytes + fsync", () => Raw(Path.Combine(directory, "raw"), payload, fsync: true));
        Report("raw write of the same bytes, no fsync", () => Raw(Path.Combine(directory, "raw"), payload, fsync: false));
        Report("GetWeightValues (copying every weight out)", () => model.GetWeightValues());
    }

    private static void Raw(string path, byte[] payload, bool fsync)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        stream.Write(payload);
        stream.Flush(flushToDisk: fsync);
    }

    private static void Report(string what, Action action)
    {
        // The first call includes JIT compilation of the save path, which a training process pays once, at its first checkpoint.
        var first = Stopwatch.StartNew();
        action();
        double firstMs = first.Elapsed.TotalMilliseconds;
        var times = new List<double>();
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Count; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        long perCall = (GC.GetAllocatedBytesForCurrentThread() - allocated) / Count;
        Console.WriteLine($"  {what}: median {CheckpointCost.Median(times):0.00} min {times.Min():0.00} max {times.Max():0.00}, allocated {perCall / 1e3:0} KB/call; first call {firstMs:0.0}");
    }
}
