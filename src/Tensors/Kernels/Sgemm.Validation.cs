namespace Framework.Tensors.Kernels;

internal static partial class Sgemm
{
    /// <summary>Checks GEMM arguments; shared with <see cref="Dgemm"/> so both report errors in the same words.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative or a row stride is shorter than its row.</exception>
    /// <exception cref="ArgumentNullException">A pointer is null while its matrix is not empty.</exception>
    internal static void ValidateArguments(string kernel, bool transA, bool transB, int m, int n, int k,
        bool aIsNull, int lda, bool bIsNull, int ldb, bool cIsNull, int ldc)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        int widthA = transA ? m : k;
        int widthB = transB ? k : n;
        if (lda < Math.Max(1, widthA))
            throw new ArgumentOutOfRangeException(nameof(lda), lda, $"{kernel}: lda must be at least the stored width of A ({widthA}); received lda={lda}.");
        if (ldb < Math.Max(1, widthB))
            throw new ArgumentOutOfRangeException(nameof(ldb), ldb, $"{kernel}: ldb must be at least the stored width of B ({widthB}); received ldb={ldb}.");
        if (ldc < Math.Max(1, n))
            throw new ArgumentOutOfRangeException(nameof(ldc), ldc, $"{kernel}: ldc must be at least n ({n}); received ldc={ldc}.");
        if (aIsNull && m > 0 && k > 0)
            throw new ArgumentNullException("a", $"{kernel}: A is null but op(A) is {m}x{k}.");
        if (bIsNull && k > 0 && n > 0)
            throw new ArgumentNullException("b", $"{kernel}: B is null but op(B) is {k}x{n}.");
        if (cIsNull && m > 0 && n > 0)
            throw new ArgumentNullException("c", $"{kernel}: C is null but C is {m}x{n}.");
    }
}
