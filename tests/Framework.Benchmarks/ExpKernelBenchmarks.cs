using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Framework.Tensors;
using Framework.Tensors.Kernels;

namespace Framework.Benchmarks;

/// <summary>
/// float32 exp over 1M values on one thread, kernel only (no tensor, no pool, no threads), against a copy of the same
/// size: <c>TensorPrimitives.Exp</c> evaluates in double and is compute-bound; <see cref="FloatExp"/> should not be.
/// </summary>
public class ExpKernelBenchmarks
{
    private readonly float[] _x = new float[1 << 20];
    private readonly float[] _y = new float[1 << 20];

    [GlobalSetup]
    public void Setup() => new RandomGenerator(1).FillUniform(_x, -10f, 10f);

    [Benchmark(Baseline = true)]
    public void Copy() => _x.AsSpan().CopyTo(_y);

    [Benchmark]
    public void TensorPrimitivesExp() => TensorPrimitives.Exp(_x, _y);

    [Benchmark]
    public void FloatExpBest() => FloatExp.Exp(_x, _y);

    [Benchmark]
    public void FloatExpVector256() => FloatExp.ExpShifted(_x, 0f, _y, FloatExp.Path.Vector256);
}
