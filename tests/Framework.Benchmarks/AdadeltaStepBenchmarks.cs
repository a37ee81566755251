using BenchmarkDotNet.Attributes;
using Framework.Optimizers;
using Framework.Tensors;

namespace Framework.Benchmarks;

/// <summary>
/// One Adadelta step over the 1.2 M parameters of Keras's MNIST CNN: the fused kernel (<see cref="Adadelta.Apply"/>)
/// against the same Keras formula written as tensor ops and in-place assignments (the baseline), and fused Adam.
/// </summary>
[MemoryDiagnoser, MinColumn, MedianColumn]
public class AdadeltaStepBenchmarks
{
    private const double Rho = 0.95, Epsilon = 1e-7, LearningRate = 1.0;
    private Variable[] _weights = null!;
    private Variable[] _accumulatedGrad = null!;
    private Variable[] _accumulatedDelta = null!;
    private Tensor[] _gradients = null!;
    private Adadelta _adadelta = null!;
    private Adam _adam = null!;

    /// <summary>Creates the parameters, their gradients and the slots of every version.</summary>
    [GlobalSetup]
    public void Setup()
    {
        int[][] shapes = [[3, 3, 1, 32], [32], [3, 3, 32, 64], [64], [9216, 128], [128], [128, 10], [10]];
        var rng = new Random(1);
        Tensor Random(int[] shape) => Tensor.FromSpan<float>([.. Enumerable.Range(0, new Shape(shape).Size).Select(_ => (float)rng.NextDouble() - 0.5f)], new Shape(shape));
        _weights = [.. shapes.Select((s, i) => new Variable(Random(s), $"w{i}"))];
        _accumulatedGrad = [.. shapes.Select((s, i) => new Variable(Tensor.Zeros(new Shape(s)), $"a{i}", trainable: false))];
        _accumulatedDelta = [.. shapes.Select((s, i) => new Variable(Tensor.Zeros(new Shape(s)), $"d{i}", trainable: false))];
        _gradients = [.. shapes.Select(Random)];
        _adadelta = new Adadelta(LearningRate);
        _adadelta.BuildFor(_weights);
        _adam = new Adam();
        _adam.BuildFor(_weights);
    }

    /// <summary>Keras's Adadelta update as tensor ops: about thirteen passes over memory per variable.</summary>
    [Benchmark(Baseline = true)]
    public void TensorOps()
    {
        using var scope = TensorScope.Begin();
        using var noGrad = Autograd.NoGrad();
        for (int i = 0; i < _weights.Length; i++)
        {
            Tensor g = _gradients[i];
            var (a, d) = (_accumulatedGrad[i], _accumulatedDelta[i]);
            a.Assign(a.Value * Rho + g.Square() * (1 - Rho));
            var delta = -((d.Value + Epsilon).Sqrt() * g / (a.Value + Epsilon).Sqrt());
            d.Assign(d.Value * Rho + delta.Square() * (1 - Rho));
            _weights[i].AssignAdd(delta * LearningRate);
        }
    }

    /// <summary>The optimizer's step: one fused pass per variable.</summary>
    [Benchmark]
    public void Fused() => _adadelta.Apply(_gradients, _weights);

    /// <summary>Fused Adam on the same variables, for scale.</summary>
    [Benchmark]
    public void FusedAdam() => _adam.Apply(_gradients, _weights);
}
