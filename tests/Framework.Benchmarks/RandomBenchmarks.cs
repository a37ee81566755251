using BenchmarkDotNet.Attributes;
using Framework.Tensors;

namespace Framework.Benchmarks;

/// <summary>Bulk fills of <see cref="RandomGenerator"/>; divide the mean by <see cref="Count"/> for ns/value.</summary>
[MemoryDiagnoser]
public class RandomBenchmarks
{
    private readonly RandomGenerator _generator = new(42);
    private float[] _values = [];
    private uint[] _words = [];

    /// <summary>Values per fill.</summary>
    [Params(1 << 20)]
    public int Count { get; set; }

    /// <summary>Allocates the destination buffers.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _values = new float[Count];
        _words = new uint[Count];
    }

    /// <summary>Philox block by block through the scalar path, the baseline for the vectorized fill.</summary>
    [Benchmark(Baseline = true)]
    public void PhiloxScalar()
    {
        for (int b = 0; b < Count / 4; b++)
            Philox.Block(7, (ulong)b, 0, out _words[4 * b], out _words[4 * b + 1], out _words[4 * b + 2], out _words[4 * b + 3]);
    }

    /// <summary>Philox words through the bulk (AVX2 where available) path.</summary>
    [Benchmark]
    public void PhiloxFill() => Philox.Fill(7, 0, 0, _words);

    /// <summary>Uniform floats in [-1, 1).</summary>
    [Benchmark]
    public void FillUniformSingle() => _generator.FillUniform(_values, -1f, 1f);

    /// <summary>Standard normal floats.</summary>
    [Benchmark]
    public void FillNormalSingle() => _generator.FillNormal(_values, 0f, 1f);

    /// <summary>Normal floats truncated at two standard deviations.</summary>
    [Benchmark]
    public void FillTruncatedNormalSingle() => _generator.FillTruncatedNormal(_values, 0f, 1f);

    /// <summary>A dropout mask with keep probability 0.9.</summary>
    [Benchmark]
    public void FillBernoulliSingle() => _generator.FillBernoulli(_values, 0.9);
}
