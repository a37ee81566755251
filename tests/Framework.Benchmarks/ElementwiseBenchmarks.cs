using BenchmarkDotNet.Attributes;
using Framework.Tensors;

namespace Framework.Benchmarks;

/// <summary>
/// Element-wise ops and reductions on 1M float32 through the public Tensor API (output allocation from the pool
/// included), against a plain memory copy of the same size. Compare bandwidth, not time: an op that reads two
/// inputs and writes one moves 12 MB where the copy moves 8 MB.
/// </summary>
/// <remarks>Min and median are reported beside the mean: on the shared 2-core machine another process often holds the
/// second core, and a parallel op then waits for its worker's chunk, which inflates the mean far more than the copy's.</remarks>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class ElementwiseBenchmarks
{
    private const int N = 1 << 20;
    private float[] _source = null!;
    private TensorLikeMemory _copySource;
    private TensorLikeMemory _copyDestination;
    private Tensor _a = null!;
    private Tensor _b = null!;
    private Tensor _rows = null!;

    /// <summary><see cref="Threading.MaxThreads"/> for the ops (the copy is always one thread). One thread shows
    /// whether an op streams at the copy's bandwidth on one core, unaffected by who else holds the second core.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Threading.MaxThreads = Threads;
        var rng = new RandomGenerator(1);
        _source = new float[N];
        rng.FillNormal(_source, 0, 1);
        _copySource = TensorLikeMemory.Rent(N * sizeof(float));
        _copyDestination = TensorLikeMemory.Rent(N * sizeof(float));
        _source.CopyTo(_copySource.Floats);
        _a = Tensor.FromArray(_source, N);
        _b = Tensor.FromArray(_source.Reverse().ToArray(), N);
        _rows = _a.Reshape(N / 1024, 1024);
    }

    /// <summary>8 MB moved: 4 MB read, 4 MB written.</summary>
    [Benchmark(Baseline = true)]
    public void MemoryCopy() => _copySource.Floats.CopyTo(_copyDestination.Floats);

    /// <summary>12 MB moved.</summary>
    [Benchmark]
    public void Add() => Run(() => _a + _b);

    /// <summary>12 MB moved.</summary>
    [Benchmark]
    public void Multiply() => Run(() => _a * _b);

    /// <summary>8 MB moved.</summary>
    [Benchmark]
    public void Relu() => Run(() => _a.Relu());

    /// <summary>8 MB moved.</summary>
    [Benchmark]
    public void Exp() => Run(() => _a.Exp());

    /// <summary>8 MB moved (the scalar is broadcast).</summary>
    [Benchmark]
    public void MultiplyScalar() => Run(() => _a * 0.5);

    /// <summary>4 MB read.</summary>
    [Benchmark]
    public void Sum() => Run(() => _a.Sum());

    /// <summary>4 MB read, 4 KB written: rows of 1024 reduced along the last axis.</summary>
    [Benchmark]
    public void SumRows() => Run(() => _rows.Sum(-1));

    /// <summary>4 MB read, 4 KB written: reduced along the first axis (row accumulation).</summary>
    [Benchmark]
    public void SumColumns() => Run(() => _rows.Sum(0));

    /// <summary>8 MB moved (two passes over each row in cache).</summary>
    [Benchmark]
    public void SoftmaxRows() => Run(() => _rows.Softmax());

    private static void Run(Func<Tensor> op)
    {
        using var scope = TensorScope.Begin();
        op();
    }
}
