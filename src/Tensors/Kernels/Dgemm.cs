using System.Buffers;
using System.Numerics.Tensors;

namespace Framework.Tensors.Kernels;

/// <summary>Double-precision matrix multiply for row-major matrices: <c>C = beta·C + op(A)·op(B)</c>.</summary>
/// <remarks>
/// Used for float64 tensors and finite-difference gradient checks, where clarity matters more than peak speed:
/// each row of C is accumulated as a sum of scaled rows of op(B) with vectorized multiply-adds, in k order,
/// on the calling thread only. A transposed B is copied to row-major first so that the inner loop is contiguous.
/// Concurrent calls are safe.
/// </remarks>
internal static unsafe class Dgemm
{
    /// <summary>Computes <c>C[m,n] = beta·C + op(A)[m,k]·op(B)[k,n]</c>; arguments as in <see cref="Sgemm.Multiply"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative or a row stride is shorter than its row.</exception>
    /// <exception cref="ArgumentNullException">A pointer is null while its matrix is not empty.</exception>
    public static void Multiply(bool transA, bool transB, int m, int n, int k, double* a, int lda, double* b, int ldb, double* c, int ldc, double beta)
    {
        Sgemm.ValidateArguments(nameof(Dgemm), transA, transB, m, n, k, a == null, lda, b == null, ldb, c == null, ldc);
        if (m == 0 || n == 0)
            return;

        double[]? rented = null;
        double* rows = b;
        nint rowStride = ldb;
        double[] accumulator = ArrayPool<double>.Shared.Rent(n);
        try
        {
            if (transB && k > 0)
            {
                rented = ArrayPool<double>.Shared.Rent(checked(k * n));
                fixed (double* t = rented)
                    Transpose(b, ldb, n, k, t);
            }
            fixed (double* transposed = rented)
            {
                if (transB)
                {
                    rows = transposed;
                    rowStride = n;
                }
                var acc = accumulator.AsSpan(0, n);
                for (int i = 0; i < m; i++)
                {
                    acc.Clear();
                    for (int p = 0; p < k; p++)
                    {
                        double x = transA ? a[(nint)p * lda + i] : a[(nint)i * lda + p];
                        TensorPrimitives.FusedMultiplyAdd(new ReadOnlySpan<double>(rows + p * rowStride, n), x, acc, acc);
                    }
                    var cRow = new Span<double>(c + (nint)i * ldc, n);
                    // beta == 0 must not read C: it may hold NaN.
                    if (beta == 0)
                        acc.CopyTo(cRow);
                    else
                        TensorPrimitives.FusedMultiplyAdd(cRow, beta, acc, cRow);
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(accumulator);
            if (rented is not null)
                ArrayPool<double>.Shared.Return(rented);
        }
    }

    private static void Transpose(double* b, nint ldb, int n, int k, double* dst)
    {
        for (int j = 0; j < n; j++)
        {
            for (int p = 0; p < k; p++)
                dst[(nint)p * n + j] = b[j * ldb + p];
        }
    }
}
