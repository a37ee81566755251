using BenchmarkDotNet.Attributes;
using Framework.Optimizers;
using Framework.Tensors;

namespace Framework.Benchmarks;

/// <summary>
/// One Adam step over the parameters of a 784→128→10 MLP: the fused kernel (<see cref="Adam.Apply"/>) against the same
/// Keras formula written as tensor ops and in-place assignments (the baseline).
/// </summary>
[MemoryDiagnoser]
public class AdamStepBenchmarks
{
    private const float OneMinusBeta1 = 0.1f, OneMinusBeta2 = 0.001f, Epsilon = 1e-7f, Alpha = 3e-4f;
    private Variable[] _weights = null!;
    private Variable[] _m = null!;
    private Variable[] _v = null!;
    private Tensor[] _gradients = null!;
    private Adam _adam = null!;

    /// <summary>Creates the parameters, their gradients and the slots of both versions.</summary>
    [GlobalSetup]
    public void Setup()
    {
        int[][] shapes = [[784, 128], [128], [128, 10], [10]];
        var rng = new Random(1);
        Tensor Random(int[] shape) => Tensor.FromSpan<float>([.. Enumerable.Range(0, new Shape(shape).Size).Select(_ => (float)rng.NextDouble() - 0.5f)], new Shape(shape));
        _weights = [.. shapes.Select((s, i) => new Variable(Random(s), $"w{i}"))];
        _m = [.. shapes.Select((s, i) => new Variable(Tensor.Zeros(new Shape(s)), $"m{i}", trainable: false))];
        _v = [.. shapes.Select((s, i) => new Variable(Tensor.Zeros(new Shape(s)), $"v{i}", trainable: false))];
        _gradients = [.. shapes.Select(Random)];
        _adam = new Adam();
        _adam.BuildFor(_weights);
    }

    /// <summary>Keras's Adam update as tensor ops: about ten passes over memory and as many temporaries per variable.</summary>
    [Benchmark(Baseline = true)]
    public void TensorOps()
    {
        using var scope = TensorScope.Begin();
        using var noGrad = Autograd.NoGrad();
        for (int i = 0; i < _weights.Length; i++)
        {
            Tensor g = _gradients[i], m = _m[i], v = _v[i];
            _m[i].Assign(m + (g - m) * OneMinusBeta1);
            _v[i].Assign(v + (g.Square() - v) * OneMinusBeta2);
            _weights[i].AssignSub(_m[i].Value * Alpha / (_v[i].Value.Sqrt() + Epsilon));
        }
    }

    /// <summary>The optimizer's step: one fused pass per variable (plus the step bookkeeping).</summary>
    [Benchmark]
    public void Fused() => _adam.Apply(_gradients, _weights);
}
