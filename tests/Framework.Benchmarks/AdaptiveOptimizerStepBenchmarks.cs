using BenchmarkDotNet.Attributes;
using Framework.Optimizers;
using Framework.Tensors;

namespace Framework.Benchmarks;

/// <summary>
/// One optimizer step over the 1.2 M parameters of Keras's MNIST CNN (Conv2D 32 and 64, Dense 128 and 10): the
/// fused Adam kernel (baseline) against Adadelta, Adagrad, Adamax and Nadam, which are written as tensor ops.
/// </summary>
/// <remarks>Says what a fused kernel for the tensor-op optimizers would save per training step.</remarks>
[MemoryDiagnoser, MinColumn, MedianColumn]
public class AdaptiveOptimizerStepBenchmarks
{
    private Variable[] _weights = null!;
    private Tensor[] _gradients = null!;
    private Optimizer _optimizer = null!;

    /// <summary>The optimizer under test.</summary>
    [Params("adam", "adadelta", "adagrad", "adamax", "nadam")]
    public string Name { get; set; } = "adam";

    /// <summary>Creates the parameters, their gradients and the optimizer's slots.</summary>
    [GlobalSetup]
    public void Setup()
    {
        int[][] shapes = [[3, 3, 1, 32], [32], [3, 3, 32, 64], [64], [9216, 128], [128], [128, 10], [10]];
        var rng = new Random(1);
        Tensor Random(int[] shape) => Tensor.FromSpan<float>([.. Enumerable.Range(0, new Shape(shape).Size).Select(_ => (float)rng.NextDouble() - 0.5f)], new Shape(shape));
        _weights = [.. shapes.Select((s, i) => new Variable(Random(s), $"w{i}"))];
        _gradients = [.. shapes.Select(Random)];
        _optimizer = OptimizerFactory.Create(Name);
        _optimizer.BuildFor(_weights);
    }

    /// <summary>One <see cref="Optimizer.Apply"/> over all eight variables.</summary>
    [Benchmark]
    public void Step() => _optimizer.Apply(_gradients, _weights);
}
