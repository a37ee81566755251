namespace Framework.Tests.Tensors.Kernels;

/// <summary>Naive double-precision matrix multiply and random matrices for the GEMM kernel tests.</summary>
internal static class GemmReference
{
    /// <summary>Stored element (i, p) of op(X) for a row-major X with row stride ld.</summary>
    public static double At(double[] x, bool trans, int ld, int row, int col) => trans ? x[col * ld + row] : x[row * ld + col];

    /// <summary>beta·C + op(A)·op(B) in double, plus Σ|a·b| per element for error bounds.</summary>
    public static (double[] Value, double[] AbsSum) Multiply(bool transA, bool transB, int m, int n, int k,
        double[] a, int lda, double[] b, int ldb, double[] c, int ldc, double beta)
    {
        var value = new double[m * n];
        var absSum = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0, abs = 0;
                for (int p = 0; p < k; p++)
                {
                    double term = At(a, transA, lda, i, p) * At(b, transB, ldb, p, j);
                    sum += term;
                    abs += Math.Abs(term);
                }
                if (beta != 0)
                {
                    sum += beta * c[i * ldc + j];
                    abs += Math.Abs(beta * c[i * ldc + j]);
                }
                value[i * n + j] = sum;
                absSum[i * n + j] = abs;
            }
        }
        return (value, absSum);
    }

    /// <summary>Values in [-1, 1) from a seeded generator.</summary>
    public static double[] Random(int length, int seed)
    {
        var random = new Random(seed);
        var values = new double[length];
        for (int i = 0; i < values.Length; i++)
            values[i] = random.NextDouble() * 2 - 1;
        return values;
    }
}
