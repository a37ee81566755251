using System.Globalization;
using System.Text.Json;
using Framework.Layers;
using Framework.Tensors;

namespace Framework.Benchmarks;

/// <summary>
/// The LSTM training step to set beside <c>tests/tools/lstm_peer.py</c> (PyTorch's <c>nn.LSTM</c>): forward of
/// <c>Lstm(128)</c> over a (32, 100, 128) input from zero states, loss = sum of the last hidden state, backward to the
/// weights, gradients reset between steps; milliseconds per step, median of the repeats, one JSON line per thread count; also the process CPU time per step
/// (all threads), which a loaded machine disturbs less than wall time.
/// </summary>
/// <remarks>
/// <c>dotnet tests/Framework.Benchmarks/bin/Release/net10.0/Framework.Benchmarks.dll lstm [--threads 1,2] [--repeats 5] [--min-time 2]</c>;
/// samples are sized like the peer's (<c>peer_timing.py</c>): one warm-up sample, then back-to-back steps lasting about
/// --min-time seconds.
/// </remarks>
public static class LstmRatio
{
    private const int Batch = 32, Steps = 100, Features = 128, Units = 128;

    public static void Run(string[] args)
    {
        string threads = Option(args, "--threads", "1,2");
        int repeats = int.Parse(Option(args, "--repeats", "5"), CultureInfo.InvariantCulture);
        double minTime = double.Parse(Option(args, "--min-time", "2"), CultureInfo.InvariantCulture);
        // --backend torch: the same layer on libtorch's CPU kernels (Device.TorchCpu) with as many threads.
        var device = Option(args, "--backend", "cpu") == "torch" ? Device.TorchCpu : Device.Cpu;
        using var onDevice = Device.Use(device);
        var (layer, x) = Setup();
        foreach (int t in threads.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)))
        {
            Threading.MaxThreads = t;
            if (device == Device.TorchCpu) Framework.Torch.TorchThreads.Count = t;
            void Call() => Step(layer, x);
            Call();
            int iterations = Math.Max(1, (int)(minTime / Math.Max(WallClock.PerCall(Call, 1), 1e-7)));
            WallClock.PerCall(Call, iterations);
            var cpu = new List<double>();
            var samples = Enumerable.Range(0, repeats).Select(_ =>
            {
                var before = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
                double wall = WallClock.PerCall(Call, iterations) * 1e3;
                cpu.Add((System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - before).TotalMilliseconds / iterations);
                return wall;
            }).Order().ToList();
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["peer"] = "framework", ["backend"] = device.ToString(), ["threads"] = t, ["shape"] = new[] { Batch, Steps, Features, Units },
                ["ms_per_step_median"] = Math.Round(samples[samples.Count / 2], 3), ["min"] = Math.Round(samples[0], 3),
                ["max"] = Math.Round(samples[^1], 3), ["iters_per_sample"] = iterations,
                ["cpu_ms_per_step_median"] = Math.Round(cpu.Order().ElementAt(cpu.Count / 2), 3),
            }));
        }
    }

    /// <summary>The layer, built, and a fixed uniform input in [−1, 1).</summary>
    internal static (Lstm Layer, Tensor X) Setup()
    {
        RandomGenerator.SetGlobalSeed(0);
        var values = new float[Batch * Steps * Features];
        new RandomGenerator(1).FillUniform(values, -1, 1);
        var x = Tensor.FromArray(values, Batch, Steps, Features);
        var layer = new Lstm(Units);
        layer.EnsureBuilt(x.Shape);
        return (layer, x);
    }

    /// <summary>One training step's forward and backward pass.</summary>
    internal static void Step(Lstm layer, Tensor x)
    {
        using var scope = TensorScope.Begin();
        foreach (var w in layer.TrainableWeights) w.ZeroGrad();
        layer.Apply(x, training: true).Sum().Backward();
    }

    private static string Option(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
