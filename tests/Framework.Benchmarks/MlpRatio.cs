using System.Diagnostics;
using System.Globalization;
using Framework.Layers;
using Framework.Optimizers;
using Framework.Tensors;
using Framework.Training;

namespace Framework.Benchmarks;

/// <summary>
/// Whole-run timings of the reference MLP to set beside <c>../shared/bench/peers/mlp_torch.py</c> and
/// <c>overhead_torch.py</c>: seconds per epoch of 60,000 Fashion-MNIST images at batch 32 (the per-epoch shuffle
/// included, data decoding excluded), microseconds per training step at batch 1, and Predict on 10,000 images.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project tests/Framework.Benchmarks -- mlp [--threads 1] [--epochs 3] [--data DIR]</c>.
/// Prints one line per measurement; each figure is the median of the repeats, with min and max.
/// </remarks>
public static class MlpRatio
{
    public static void Run(string[] args)
    {
        string data = Option(args, "--data", "/usr/share/datasets/fashion-mnist");
        int epochs = int.Parse(Option(args, "--epochs", "3"), CultureInfo.InvariantCulture);
        Threading.MaxThreads = int.Parse(Option(args, "--threads", "1"), CultureInfo.InvariantCulture);
        // --backend torch: libtorch's CPU kernels with as many threads; the data moves there first, as the TorchSharp peer's does.
        var device = Option(args, "--backend", "cpu") == "torch" ? Device.TorchCpu : Device.Cpu;
        if (device == Device.TorchCpu) Framework.Torch.TorchThreads.Count = Threading.MaxThreads;
        using var onDevice = Device.Use(device);
        var (xTrain, yTrain) = Mnist.MnistDataset.Load(data, "train");
        var (xTest, yTest) = Mnist.MnistDataset.Load(data, "t10k");
        (xTrain, yTrain, xTest, yTest) = (xTrain.To(device), yTrain.To(device), xTest.To(device), yTest.To(device));
        Console.WriteLine($"backend={device} threads={Threading.MaxThreads} train={xTrain.Shape} test={xTest.Shape} cpu={Environment.ProcessorCount}");

        RandomGenerator.SetGlobalSeed(0);
        var model = NewModel();
        var epochSeconds = new List<double>();
        var clock = new Stopwatch();
        var timer = new LambdaCallback { EpochBegin = _ => clock.Restart(), EpochEnd = (_, _) => epochSeconds.Add(clock.Elapsed.TotalSeconds) };
        model.Fit(xTrain, yTrain, epochs: epochs, batchSize: 32, verbose: 0, callbacks: [timer]);
        var test = model.Evaluate(xTest, yTest);
        Report("epoch_s batch=32", epochSeconds, $"test_accuracy={test["accuracy"]:0.0000} us/step={Median(epochSeconds) / 1875 * 1e6:0}");
        Console.WriteLine($"  epochs: {string.Join(" ", epochSeconds.Select(s => s.ToString("0.000", CultureInfo.InvariantCulture)))}; GCs gen0/1/2: {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}; allocated {GC.GetTotalAllocatedBytes() / 1e6:0} MB");

        var single = NewModel();
        var x1 = xTrain.Slice(0, 1);
        var y1 = yTrain.Slice(0, 1);
        for (int i = 0; i < 200; i++) single.TrainOnBatch(x1, y1);
        Report("step_us batch=1", Repeat(5, () => Time(2000, () => single.TrainOnBatch(x1, y1)) * 1e6 / 2000), "");

        model.Predict(xTest, batchSize: 10000);
        Report("predict_ms n=10000 batch=10000", Repeat(5, () => Time(1, () => model.Predict(xTest, batchSize: 10000)) * 1e3), "");
        Report("predict_ms n=10000 batch=32", Repeat(5, () => Time(1, () => model.Predict(xTest)) * 1e3), "");
    }

    private static Sequential NewModel()
    {
        var model = new Sequential([new Dense(128, activation: "relu"), new Dropout(0.2), new Dense(10)], inputShape: [784]);
        model.Compile(new Adam(), new SparseCategoricalCrossentropy(fromLogits: true), [new Accuracy()]);
        return model;
    }

    private static double Time(int count, Action action)
    {
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            using var scope = TensorScope.Begin();
            action();
        }
        return clock.Elapsed.TotalSeconds;
    }

    private static List<double> Repeat(int count, Func<double> measure) => [.. Enumerable.Range(0, count).Select(_ => measure())];

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static void Report(string what, List<double> values, string extra) =>
        Console.WriteLine($"{what}: median {Median(values):0.000} min {values.Min():0.000} max {values.Max():0.000} {extra}".TrimEnd());

    private static string Option(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
