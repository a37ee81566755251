using System.Diagnostics;
using System.Globalization;
using Framework.Tensors;

namespace Framework.Benchmarks;

/// <summary>Where one training step of the MNIST CNN (batch 128) spends its time: each op of the step alone, through the Tensor API.</summary>
/// <remarks><c>dotnet run -c Release --project tests/Framework.Benchmarks -- cnn-profile [--threads 1]</c>; milliseconds per call, median of 5.</remarks>
public static class CnnStepProfile
{
    public static void Run(string[] args)
    {
        int i = Array.IndexOf(args, "--threads");
        Threading.MaxThreads = i >= 0 ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : 1;
        var x = Tensor.RandomUniform([128, 28, 28, 1]);
        var k1 = Tensor.RandomUniform([3, 3, 1, 32]).RequireGrad();
        var k2 = Tensor.RandomUniform([3, 3, 32, 64]).RequireGrad();
        var b2 = Tensor.RandomUniform([64]).RequireGrad();
        var h1 = Tensor.RandomUniform([128, 26, 26, 32], -1, 1).RequireGrad();
        var h2 = Tensor.RandomUniform([128, 24, 24, 64], -1, 1).RequireGrad();
        var g2 = Tensor.RandomUniform([128, 24, 24, 64], -1, 1);
        var gp = Tensor.RandomUniform([128, 12, 12, 64], -1, 1);
        var w = Tensor.RandomUniform([9216, 128]).RequireGrad();
        var f = Tensor.RandomUniform([128, 9216]).RequireGrad();
        Time("conv1 forward+kernel grad", () => (x.Conv2D(k1) * 1f).Sum().Backward());
        Time("conv2 forward", () => h1.Conv2D(k2).Dispose());
        Time("conv2 forward+backward", () => h1.Conv2D(k2).Backward(g2));
        Time("bias add (128,24,24,64)+(64)", () => (h2 + b2).Dispose());
        Time("bias add + backward", () => (h2 + b2).Backward(g2));
        Time("relu", () => h2.Relu().Dispose());
        Time("relu + backward", () => h2.Relu().Backward(g2));
        Time("sum over (0,1,2)", () => g2.Sum([0, 1, 2]).Dispose());
        Time("maxpool forward", () => h2.MaxPool2D(2).Dispose());
        Time("maxpool + backward", () => h2.MaxPool2D(2).Backward(gp));
        Time("dense 9216x128 fwd+bwd", () => f.MatMul(w).Sum().Backward());
    }

    private static void Time(string what, Action action)
    {
        var samples = new List<double>();
        for (int r = 0; r < 7; r++)
        {
            using var scope = TensorScope.Begin();
            var clock = Stopwatch.StartNew();
            action();
            samples.Add(clock.Elapsed.TotalMilliseconds);
        }
        samples.Sort();
        Console.WriteLine($"{what}: {samples[3]:0.0} ms (min {samples[0]:0.0})");
    }
}
