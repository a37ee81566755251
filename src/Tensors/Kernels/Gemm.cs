namespace Framework.Tensors.Kernels;

/// <summary>Picks <see cref="Sgemm"/> or <see cref="Dgemm"/> by element type, for kernels written once for both.</summary>
internal static unsafe class Gemm
{
    /// <summary><c>C = op(A)·op(B)</c>, or <c>C += op(A)·op(B)</c> when <paramref name="accumulate"/>; row-major, float or double.</summary>
    public static void Multiply<T>(bool transA, bool transB, int m, int n, int k, T* a, int lda, T* b, int ldb, T* c, int ldc, bool accumulate)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            Sgemm.Multiply(transA, transB, m, n, k, (float*)a, lda, (float*)b, ldb, (float*)c, ldc, accumulate ? 1f : 0f);
        else if (typeof(T) == typeof(double))
            Dgemm.Multiply(transA, transB, m, n, k, (double*)a, lda, (double*)b, ldb, (double*)c, ldc, accumulate ? 1.0 : 0.0);
        else
            throw new NotSupportedException($"Gemm supports float and double, not {typeof(T).Name}.");
    }
}
