using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Framework.Tensors;
using Framework.Tensors.Kernels;

namespace Framework.Benchmarks;

/// <summary>float32 exp over 1M values on one thread: the BCL's vectorised exp (double-precision inside) vs ours.</summary>
public class ExpKernelBenchmarks
{
    private readonly float[] _x = new float[1 << 20];
    private readonly float[] _y = new float[1 << 20];

    [GlobalSetup]
    public void Setup() => new RandomGenerator(1).FillUniform(_x, -10f, 10f);

    [Benchmark(Baseline = true)]
    public void TensorPrimitivesExp() => TensorPrimitives.Exp(_x, _y);

    [Benchmark]
    public void FastExpKernel() => FastExp.Exp(_x, _y);

    [Benchmark]
    public void Copy() => _x.AsSpan().CopyTo(_y);
}
