using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Framework.Tensors;
using Framework.Tensors.Storage;

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
    private FloatBuffer _copySource;
    private FloatBuffer _copyDestination;
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
        // The copy moves between buffers of the kind the tensors get (huge pages where the pool uses them), so the
        // baseline is not slowed by 4 KiB pages that the ops do not have.
        _copySource = FloatBuffer.Rent(N);
        _copyDestination = FloatBuffer.Rent(N);
        _source.CopyTo(_copySource.Span);
        _a = Tensor.FromArray(_source, N);
        _b = Tensor.FromArray(_source.Reverse().ToArray(), N);
        _rows = _a.Reshape(N / 1024, 1024);
    }

    /// <summary>8 MB moved: 4 MB read, 4 MB written.</summary>
    [Benchmark(Baseline = true)]
    public void MemoryCopy() => _copySource.Span.CopyTo(_copyDestination.Span);

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

    // N floats in a huge-page buffer when the pool uses them, else in a plain array.
    private readonly record struct FloatBuffer(byte[] Array, int Offset, int Length)
    {
        public Span<float> Span => MemoryMarshal.Cast<byte, float>(Array.AsSpan(Offset, Length * sizeof(float)));

        public static FloatBuffer Rent(int length) => HugePageBuffers.Rent((long)length * sizeof(float)) is { } huge
            ? new FloatBuffer(huge.Array, huge.Offset, length)
            : new FloatBuffer(new byte[length * sizeof(float)], 0, length);
    }
}
