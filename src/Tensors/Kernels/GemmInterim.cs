namespace Framework.Tensors.Kernels;

internal static unsafe class Sgemm
{
    public static void Multiply(bool transA, bool transB, int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, float beta)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                float s = 0;
                for (int p = 0; p < k; p++) s += (transA ? a[p * lda + i] : a[i * lda + p]) * (transB ? b[j * ldb + p] : b[p * ldb + j]);
                c[i * ldc + j] = beta == 0 ? s : c[i * ldc + j] + s;
            }
    }
}

internal static unsafe class Dgemm
{
    public static void Multiply(bool transA, bool transB, int m, int n, int k, double* a, int lda, double* b, int ldb, double* c, int ldc, double beta)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += (transA ? a[p * lda + i] : a[i * lda + p]) * (transB ? b[j * ldb + p] : b[p * ldb + j]);
                c[i * ldc + j] = beta == 0 ? s : c[i * ldc + j] + s;
            }
    }
}
