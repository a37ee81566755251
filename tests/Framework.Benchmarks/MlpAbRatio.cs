using System.Diagnostics;
using System.Globalization;
using Framework.Layers;
using Framework.Optimizers;
using Framework.Tensors;
using Framework.Torch;
using Framework.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Framework.Benchmarks;

/// <summary>
/// The Fashion-MNIST MLP (784-128-10, dropout 0.2, batch 32, Adam) on our libtorch backend and as a pure TorchSharp
/// program (the model of <c>../shared/bench/peers/torchsharp</c>), one epoch of each in turn in one process, timed in
/// wall-clock and in the process's CPU time.
/// </summary>
/// <remarks>
/// <c>dotnet Framework.Benchmarks.dll mlp-ab [--threads 1] [--rounds 3] [--metric none|accuracy] [--data DIR]</c>. Alternating epochs in one
/// process puts both programs under the same machine load; on a shared machine the CPU-time ratio is the one to read
/// (with one thread, wall-clock time lost to other processes is not CPU time). Prints each round and the medians.
/// </remarks>
public static class MlpAbRatio
{
    private const int Batch = 32;

    public static void Run(string[] args)
    {
        string data = Option(args, "--data", "/usr/share/datasets/fashion-mnist");
        int threads = int.Parse(Option(args, "--threads", "1"), CultureInfo.InvariantCulture);
        int rounds = int.Parse(Option(args, "--rounds", "3"), CultureInfo.InvariantCulture);
        // The TorchSharp program computes no accuracy while training; "--metric accuracy" adds ours (as `mlp` does).
        bool accuracy = Option(args, "--metric", "none") == "accuracy";
        // --managed-threads: the managed engine's own thread count (host-side work such as masks and shuffles), which
        // otherwise follows --threads; libtorch's count is always --threads.
        Threading.MaxThreads = int.Parse(Option(args, "--managed-threads", threads.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        TorchThreads.Count = threads;
        var (xTrain, yTrain) = Mnist.MnistDataset.Load(data, "train");
        Console.WriteLine($"mlp-ab threads={threads} rounds={rounds} metric={(accuracy ? "accuracy" : "none")}; load {File.ReadAllText("/proc/loadavg").Trim()}");

        var ours = Ours(xTrain, yTrain, accuracy);
        var pure = PureTorchSharp(xTrain, yTrain);
        var (oursWall, oursCpu, pureWall, pureCpu) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        for (int r = 0; r < rounds; r++)
        {
            var (ow, oc) = Measure(ours);
            var (pw, pc) = Measure(pure);
            oursWall.Add(ow);
            oursCpu.Add(oc);
            pureWall.Add(pw);
            pureCpu.Add(pc);
            Console.WriteLine($"  round {r}: ours {ow:0.000} s wall {oc:0.000} s cpu; TorchSharp {pw:0.000} s wall {pc:0.000} s cpu; ratio wall {ow / pw:0.00} cpu {oc / pc:0.00}");
        }
        Console.WriteLine($"epoch median: ours {Median(oursWall):0.000} s wall {Median(oursCpu):0.000} s cpu; TorchSharp {Median(pureWall):0.000} s wall {Median(pureCpu):0.000} s cpu; "
            + $"ours/TorchSharp wall {Median(oursWall) / Median(pureWall):0.00} cpu {Median(oursCpu) / Median(pureCpu):0.00}; load {File.ReadAllText("/proc/loadavg").Trim()}");
    }

    private static (double Wall, double Cpu) Measure(Action epoch)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        epoch();
        double wall = clock.Elapsed.TotalSeconds;
        process.Refresh();
        return (wall, (process.TotalProcessorTime - cpu).TotalSeconds);
    }

    /// <summary>Our model on libtorch's CPU; the data moves there first, as the TorchSharp program's lives there.</summary>
    private static Action Ours(Framework.Tensors.Tensor xHost, Framework.Tensors.Tensor yHost, bool accuracy)
    {
        var device = Framework.Tensors.Device.TorchCpu;
        using var onDevice = Framework.Tensors.Device.Use(device);
        var (x, y) = (xHost.To(device), yHost.To(device));
        RandomGenerator.SetGlobalSeed(0);
        var model = new Sequential([new Dense(128, activation: "relu"), new Dropout(0.2), new Dense(10)], inputShape: [784]);
        model.Compile(new Adam(), new SparseCategoricalCrossentropy(fromLogits: true), accuracy ? [new Accuracy()] : []);
        model.To(device);
        int epoch = 0;
        model.Fit(x.Slice(0, 50 * Batch), y.Slice(0, 50 * Batch), epochs: 1, batchSize: Batch, verbose: 0);   // warm-up
        return () =>
        {
            using var scope = Framework.Tensors.Device.Use(device);   // scalars and dropout masks are made on the default device
            model.Fit(x, y, epochs: epoch + 1, initialEpoch: epoch, batchSize: Batch, verbose: 0);
            epoch++;
        };
    }

    /// <summary>The same model and loop written directly against TorchSharp (the peer's program).</summary>
    private static Action PureTorchSharp(Framework.Tensors.Tensor xHost, Framework.Tensors.Tensor yHost)
    {
        long n = xHost.Shape[0];
        var x = tensor(xHost.ToArray<float>(), [n, 784]);
        var y = tensor(yHost.Cast(DType.Int64).ToArray<long>(), [n]);
        manual_seed(0);
        var model = nn.Sequential(("d1", nn.Linear(784, 128)), ("r", nn.ReLU()), ("do", nn.Dropout(0.2)), ("d2", nn.Linear(128, 10)));
        using (no_grad())
        {
            foreach (var (name, p) in model.named_parameters())
            {
                if (name.EndsWith("weight", StringComparison.Ordinal)) nn.init.xavier_uniform_(p);
                else p.zero_();
            }
        }
        var optimizer = optim.Adam(model.parameters(), lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-7);
        var loss = nn.CrossEntropyLoss();
        var generator = new Generator();
        generator.manual_seed(0);
        var (xs, ys) = (empty_like(x), empty_like(y));
        void Epoch(int samples)
        {
            using (var d = NewDisposeScope())
            {
                var perm = randperm(n, generator: generator);
                xs.copy_(index_select(x, 0, perm));
                ys.copy_(index_select(y, 0, perm));
            }
            for (int i = 0; i < samples; i += Batch)
            {
                using var d = NewDisposeScope();
                int end = (int)Math.Min(i + Batch, n);
                optimizer.zero_grad();
                loss.forward(model.forward(xs[i..end]), ys[i..end]).backward();
                optimizer.step();
            }
        }
        Epoch(50 * Batch);   // warm-up
        return () => Epoch((int)n);
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static string Option(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
