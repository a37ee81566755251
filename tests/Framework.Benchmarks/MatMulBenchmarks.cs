using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Framework.Tensors.Kernels;

namespace Framework.Benchmarks;

/// <summary>FP32 matrix multiply: <see cref="Sgemm.Multiply"/> against a row-by-column <see cref="TensorPrimitives.Dot{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/> loop.</summary>
/// <remarks>
/// Shapes are the Fashion-MNIST MLP's forward pass and the two transposed products its backward pass needs, plus
/// two squares. The baseline gets op(A) and op(B)ᵀ already contiguous, so it measures arithmetic, not layout.
/// Run: <c>dotnet run -c Release --project tests/Framework.Benchmarks -- --filter '*MatMul*' --job short</c>.
/// </remarks>
[MemoryDiagnoser]
public unsafe class MatMulBenchmarks
{
    private float* _a, _b, _c, _rowsA, _rowsBt;
    private int _lda, _ldb;

    /// <summary>M×N×K and which operand is transposed.</summary>
    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = null!;

    /// <summary>The measured shapes.</summary>
    public static IEnumerable<GemmShape> Shapes =>
    [
        new("fwd 32x784@784x128", 32, 128, 784, false, false),
        new("dW (784x32)T@32x128", 784, 128, 32, true, false),
        new("dX 32x128@(784x128)T", 32, 784, 128, false, true),
        new("square 256", 256, 256, 256, false, false),
        new("square 1024", 1024, 1024, 1024, false, false),
    ];

    /// <summary>Allocates and fills the operands, and the contiguous copies the baseline reads.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var (m, n, k) = (Shape.M, Shape.N, Shape.K);
        _a = GemmRatio.AllocateRandom((long)m * k, 1);
        _b = GemmRatio.AllocateRandom((long)k * n, 2);
        _c = GemmRatio.AllocateRandom((long)m * n, 3);
        _lda = Shape.TransA ? m : k;
        _ldb = Shape.TransB ? k : n;
        _rowsA = GemmRatio.AllocateRandom((long)m * k, 0);
        _rowsBt = GemmRatio.AllocateRandom((long)n * k, 0);
        for (int i = 0; i < m; i++)
        {
            for (int p = 0; p < k; p++)
                _rowsA[(long)i * k + p] = Shape.TransA ? _a[(long)p * _lda + i] : _a[(long)i * _lda + p];
        }
        for (int j = 0; j < n; j++)
        {
            for (int p = 0; p < k; p++)
                _rowsBt[(long)j * k + p] = Shape.TransB ? _b[(long)j * _ldb + p] : _b[(long)p * _ldb + j];
        }
    }

    /// <summary>Frees the native buffers.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        NativeMemory.AlignedFree(_a);
        NativeMemory.AlignedFree(_b);
        NativeMemory.AlignedFree(_c);
        NativeMemory.AlignedFree(_rowsA);
        NativeMemory.AlignedFree(_rowsBt);
    }

    /// <summary>One vectorized dot product per element of C.</summary>
    [Benchmark(Baseline = true)]
    public void DotPerElement()
    {
        int m = Shape.M, n = Shape.N, k = Shape.K;
        for (int i = 0; i < m; i++)
        {
            var row = new ReadOnlySpan<float>(_rowsA + (long)i * k, k);
            for (int j = 0; j < n; j++)
                _c[(long)i * n + j] = TensorPrimitives.Dot(row, new ReadOnlySpan<float>(_rowsBt + (long)j * k, k));
        }
    }

    /// <summary>The packed, register-blocked kernel on <see cref="Framework.Tensors.Threading.MaxThreads"/> threads.</summary>
    [Benchmark]
    public void Sgemm() =>
        Framework.Tensors.Kernels.Sgemm.Multiply(Shape.TransA, Shape.TransB, Shape.M, Shape.N, Shape.K, _a, _lda, _b, _ldb, _c, Shape.N, 0f);

    /// <summary>A benchmark shape: C is M×N, the shared dimension is K.</summary>
    public sealed record GemmShape(string Name, int M, int N, int K, bool TransA, bool TransB)
    {
        /// <inheritdoc/>
        public override string ToString() => Name;
    }
}
