using System.Diagnostics;
using System.Globalization;
using Framework.Tensors;
using Framework.Training;
using Mnist;

namespace Framework.Benchmarks;

/// <summary>
/// Epoch times and test accuracy of Keras's MNIST CNN (<see cref="CnnModel"/>) on the 60,000 Fashion-MNIST images
/// at batch 128, to set beside <c>../shared/bench/peers/cnn_torch.py</c> (same model, initializers, batch, data).
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project tests/Framework.Benchmarks -- cnn [--threads 1,2] [--epochs 2] [--limit N] [--data DIR]
/// [--clock wall|process] [--peak-per-core GFLOPS]</c>.
/// Like the peer: a warm-up of 5 batches on a separate model, then a fresh model (seed 0) trained for the epochs, each
/// timed (the shuffle included, data decoding excluded), then the accuracy on the 10,000 test images. The nominal
/// rate counts 3 × 24.0 MFLOP per training image, as the peer does; the fraction is of the FMA peak measured by the
/// peers' <c>peak_fma.c</c> (<c>fma_fp32_zmm512</c>, 1 thread) on this machine: <c>--peak-per-core</c>, by default the
/// 146 GFLOP/s measured on the 2-vCPU Xeon (family 6 model 207) by thread CPU time. <c>--clock process</c> times each
/// epoch by the process's CPU time instead of the wall clock (the peer's twin: <c>tests/tools/cnn_peer_cpu.py</c>);
/// on a shared machine that is the steadier comparison on 1 thread.
/// </remarks>
public static class CnnRatio
{
    private const double FlopPerImage = 3 * 2.0 * (26 * 26 * 32 * 9 + 24 * 24 * 64 * 288 + 9216 * 128 + 128 * 10);
    private const string DefaultPeakPerCore = "146";

    public static void Run(string[] args)
    {
        string data = Option(args, "--data", "/usr/share/datasets/fashion-mnist");
        int epochs = int.Parse(Option(args, "--epochs", "2"), CultureInfo.InvariantCulture);
        int limit = int.Parse(Option(args, "--limit", "0"), CultureInfo.InvariantCulture);
        bool cpuClock = Option(args, "--clock", "wall") == "process";
        double peakPerCore = double.Parse(Option(args, "--peak-per-core", DefaultPeakPerCore), CultureInfo.InvariantCulture) * 1e9;
        // --backend torch: the same model on libtorch's CPU kernels (Device.TorchCpu) with as many threads.
        var device = Option(args, "--backend", "cpu") == "torch" ? Device.TorchCpu : Device.Cpu;
        using var onDevice = Device.Use(device);
        var (xAll, yAll) = MnistDataset.Load(data, "train");
        var (xTest, yTest) = MnistDataset.Load(data, "t10k");
        if (limit > 0) (xAll, yAll) = (xAll.Slice(0, limit), yAll.Slice(0, limit));
        var (xTrain, xTestImages) = (CnnModel.Images(xAll), CnnModel.Images(xTest));
        foreach (int threads in Option(args, "--threads", "1,2").Split(',').Select(int.Parse))
        {
            Threading.MaxThreads = threads;
            if (device == Device.TorchCpu) Framework.Torch.TorchThreads.Count = threads;
            var warm = CnnModel.Create(999);
            for (int i = 0; i < 5; i++) warm.TrainOnBatch(xTrain.Slice(i * CnnModel.BatchSize, CnnModel.BatchSize), yAll.Slice(i * CnnModel.BatchSize, CnnModel.BatchSize));

            var model = CnnModel.Create(0);
            var seconds = new List<double>();
            var clock = new Stopwatch();
            double cpuStart = 0;
            var timer = new LambdaCallback
            {
                EpochBegin = _ => (clock, cpuStart) = (Stopwatch.StartNew(), GemmRatio.ProcessSeconds()),
                EpochEnd = (_, _) => seconds.Add(cpuClock ? GemmRatio.ProcessSeconds() - cpuStart : clock.Elapsed.TotalSeconds),
            };
            model.Fit(xTrain, yAll, epochs: epochs, batchSize: CnnModel.BatchSize, verbose: 0, callbacks: [timer]);
            double accuracy = model.Evaluate(xTestImages, yTest, batchSize: 1000)["accuracy"];
            var sorted = seconds.Order().ToList();
            double median = sorted[sorted.Count / 2], n = xTrain.Shape[0];
            string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
            Console.WriteLine($$"""{"bench": "cnn", "lib": "framework", "backend": "{{device}}", "threads": {{threads}}, "optimizer": "{{model.Optimizer!.GetType().Name}}", "batch": {{CnnModel.BatchSize}}, "train_images": {{n}}, "epochs": {{epochs}}, "clock": "{{(cpuClock ? "process" : "wall")}}", "epoch_s": [{{string.Join(", ", seconds.Select(s => F(s, "0.00")))}}], "epoch_s_median": {{F(median, "0.00")}}, "samples_per_s_median": {{F(n / median, "0.0")}}, "gflops_nominal_median": {{F(FlopPerImage * n / median / 1e9, "0.0")}}, "fraction_of_fma_peak": {{F(FlopPerImage * n / median / (peakPerCore * threads), "0.000")}}, "test_accuracy": {{F(accuracy, "0.0000")}}}""");
        }
    }

    private static string Option(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
