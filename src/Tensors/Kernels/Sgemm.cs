using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Framework.Tensors.Kernels;

/// <summary>Single-precision matrix multiply for row-major matrices: <c>C = beta·C + op(A)·op(B)</c>.</summary>
/// <remarks>
/// <para>
/// The classic packed design (Goto; BLIS): A and B are copied, one k-block of <c>Kc</c> at a time, into panels laid
/// out in the exact order a register-blocked micro-kernel reads them, and the micro-kernel keeps a whole
/// <c>Mr×Nr</c> tile of C in registers while it walks the block. When few rows of A share each B panel, B is read in
/// place instead of packed, because packing it would cost more memory traffic than it saves.
/// </para>
/// <para>
/// Determinism: the blocking depends only on the shape and the instruction set, never on the thread count, and the
/// k dimension is never split across threads, so every element of C sees the same additions in the same order.
/// </para>
/// <para>
/// Thread safety: concurrent calls from different threads are safe; each calling thread packs into its own workspace.
/// </para>
/// </remarks>
internal static unsafe partial class Sgemm
{
    /// <summary>The best micro-kernel this machine supports.</summary>
    public static SgemmKernelKind BestKernel { get; } =
        Avx512F.IsSupported && Vector512.IsHardwareAccelerated ? SgemmKernelKind.Avx512
        : Avx2.IsSupported && Fma.IsSupported ? SgemmKernelKind.Avx2
        : SgemmKernelKind.Scalar;

    /// <summary>Forces a micro-kernel (tests use it to cover the fallback paths); null selects <see cref="BestKernel"/>.</summary>
    /// <exception cref="NotSupportedException">The machine lacks the instructions of the requested kernel.</exception>
    public static SgemmKernelKind? ForcedKernel
    {
        get => s_forcedKernel;
        set
        {
            if (value > BestKernel)
                throw new NotSupportedException($"Sgemm cannot force the {value} kernel: this machine supports up to {BestKernel}.");
            s_forcedKernel = value;
        }
    }

    private static SgemmKernelKind? s_forcedKernel;

    /// <summary>Computes <c>C[m,n] = beta·C + op(A)[m,k]·op(B)[k,n]</c> for row-major matrices.</summary>
    /// <param name="transA">Whether A is stored k×m and used transposed.</param>
    /// <param name="transB">Whether B is stored n×k and used transposed.</param>
    /// <param name="m">Rows of C, at least 0.</param>
    /// <param name="n">Columns of C, at least 0.</param>
    /// <param name="k">The shared dimension, at least 0; with 0, C becomes <c>beta·C</c>.</param>
    /// <param name="a">First element of A.</param>
    /// <param name="lda">Elements between consecutive stored rows of A, at least its stored width.</param>
    /// <param name="b">First element of B.</param>
    /// <param name="ldb">Elements between consecutive stored rows of B, at least its stored width.</param>
    /// <param name="c">First element of C.</param>
    /// <param name="ldc">Elements between consecutive rows of C, at least <paramref name="n"/>.</param>
    /// <param name="beta">0 overwrites C without reading it (garbage and NaN are fine); 1 accumulates; other values scale.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative or a row stride is shorter than its row.</exception>
    /// <exception cref="ArgumentNullException">A pointer is null while its matrix is not empty.</exception>
    public static void Multiply(bool transA, bool transB, int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, float beta)
    {
        ValidateArguments(nameof(Sgemm), transA, transB, m, n, k, a == null, lda, b == null, ldb, c == null, ldc);
        if (m == 0 || n == 0)
            return;
        if (k == 0)
        {
            ScaleC(m, n, c, ldc, beta);
            return;
        }
        var kind = s_forcedKernel ?? BestKernel;
        Run(SgemmBlocking.For(kind), transA, transB, m, n, k, a, lda, b, ldb, c, ldc, beta);
    }

    private static void ScaleC(int m, int n, float* c, int ldc, float beta)
    {
        for (int i = 0; i < m; i++)
        {
            var row = new Span<float>(c + (nint)i * ldc, n);
            if (beta == 0f)
                row.Clear();
            else if (beta != 1f)
                System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
        }
    }
}
