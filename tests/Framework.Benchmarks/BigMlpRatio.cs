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
/// The wide MLP of <c>../shared/bench/peers/big_mlp_torch.py</c> (4096 → 4096 → 4096 → 10, ReLU, batch 256, Adam
/// 1e-3 / ε 1e-7, 8 fixed random batches cycled) trained by our model on a chosen backend and, in the same process
/// and alternating with it, by a pure TorchSharp program: steps per second of each, so the ratio comes from one run.
/// </summary>
/// <remarks><c>dotnet run -c Release --project tests/Framework.Benchmarks -- big-mlp [--threads 2] [--steps 6] [--rounds 3] [--backend torch]</c></remarks>
public static class BigMlpRatio
{
    private const int Width = 4096, Classes = 10, Batch = 256, Batches = 8;

    public static void Run(string[] args)
    {
        int threads = int.Parse(Option(args, "--threads", "2"), CultureInfo.InvariantCulture);
        int steps = int.Parse(Option(args, "--steps", "6"), CultureInfo.InvariantCulture);
        int rounds = int.Parse(Option(args, "--rounds", "3"), CultureInfo.InvariantCulture);
        var device = Option(args, "--backend", "torch") == "torch" ? Framework.Tensors.Device.TorchCpu : Framework.Tensors.Device.Cpu;
        Threading.MaxThreads = threads;
        TorchThreads.Count = threads;
        Console.WriteLine($"big-mlp threads={threads} steps={steps} rounds={rounds} ours on {device}; load {File.ReadAllText("/proc/loadavg").Trim()}");

        var rng = new System.Random(0);
        var xs = Enumerable.Range(0, Batches).Select(_ => Enumerable.Range(0, Batch * Width).Select(_ => (float)rng.NextDouble()).ToArray()).ToArray();
        var ys = Enumerable.Range(0, Batches).Select(_ => Enumerable.Range(0, Batch).Select(_ => (long)rng.Next(Classes)).ToArray()).ToArray();

        var ours = Ours(device, xs, ys);
        var pure = PureTorchSharp(xs, ys);
        var (oursRates, pureRates) = (new List<double>(), new List<double>());
        ours(1);
        pure(1);
        for (int r = 0; r < rounds; r++)
        {
            oursRates.Add(steps / ours(steps));
            pureRates.Add(steps / pure(steps));
            Console.WriteLine($"  round {r}: ours {oursRates[^1]:0.000} steps/s, TorchSharp {pureRates[^1]:0.000} steps/s");
        }
        double a = Median(oursRates), b = Median(pureRates);
        Console.WriteLine($"steps/s median: ours {a:0.000}, TorchSharp {b:0.000}; ours/TorchSharp throughput {a / b:0.00}");
    }

    /// <summary>Our Sequential on <paramref name="device"/>; returns a function timing n steps in seconds.</summary>
    private static Func<int, double> Ours(Framework.Tensors.Device device, float[][] xs, long[][] ys)
    {
        var model = new Sequential([new Dense(Width, activation: "relu"), new Dense(Width, activation: "relu"), new Dense(Classes)], inputShape: [Width]);
        model.Compile(new Adam(learningRate: 1e-3, epsilon: 1e-7), new SparseCategoricalCrossentropy(fromLogits: true));
        model.To(device);
        var x = xs.Select(v => Framework.Tensors.Tensor.FromSpan<float>(v, [Batch, Width], device)).ToArray();
        var y = ys.Select(v => Framework.Tensors.Tensor.FromSpan<long>(v, [Batch], device)).ToArray();
        int next = 0;
        return n =>
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < n; i++, next++)
            {
                using var scope = TensorScope.Begin();
                model.TrainOnBatch(x[next % Batches], y[next % Batches]);
            }
            return clock.Elapsed.TotalSeconds;
        };
    }

    /// <summary>The same model and step written directly against TorchSharp, as a TorchSharp user would.</summary>
    private static Func<int, double> PureTorchSharp(float[][] xs, long[][] ys)
    {
        var model = nn.Sequential(("l0", nn.Linear(Width, Width)), ("r0", nn.ReLU()), ("l1", nn.Linear(Width, Width)), ("r1", nn.ReLU()), ("l2", nn.Linear(Width, Classes)));
        var optimizer = optim.Adam(model.parameters(), lr: 1e-3, eps: 1e-7);
        var loss = nn.CrossEntropyLoss();
        var x = xs.Select(v => tensor(v, [Batch, Width])).ToArray();
        var y = ys.Select(v => tensor(v, [Batch])).ToArray();
        int next = 0;
        return n =>
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < n; i++, next++)
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                loss.forward(model.forward(x[next % Batches]), y[next % Batches]).backward();
                optimizer.step();
            }
            return clock.Elapsed.TotalSeconds;
        };
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static string Option(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
