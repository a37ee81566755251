using Framework.Tensors.Kernels;

namespace Framework.Tests.Tensors.Kernels;

public unsafe class DgemmTests
{
    [TestCase(1, 1, 1, false, false, 0.0)]
    [TestCase(7, 13, 97, false, false, 1.0)]
    [TestCase(13, 7, 5, true, false, 0.0)]
    [TestCase(31, 9, 17, false, true, 1.0)]
    [TestCase(20, 33, 40, true, true, 0.0)]
    [TestCase(5, 6, 0, true, true, 1.0)]
    [TestCase(4, 3, 2, false, false, 0.5)]
    public void Multiply_Shape_MatchesReference(int m, int n, int k, bool transA, bool transB, double beta)
    {
        const int pad = 2;
        int lda = (transA ? m : k) + pad, ldb = (transB ? k : n) + pad, ldc = n + pad;
        double[] a = GemmReference.Random((transA ? k : m) * lda, 1);
        double[] b = GemmReference.Random((transB ? n : k) * ldb, 2);
        double[] c = GemmReference.Random(m * ldc, 3);
        if (beta == 0)
            Array.Fill(c, double.NaN);
        var (expected, absSum) = GemmReference.Multiply(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, beta);

        fixed (double* pa = a, pb = b, pc = c)
            Dgemm.Multiply(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, beta);

        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                Assert.That(c[i * ldc + j], Is.EqualTo(expected[i * n + j]).Within((k + 2) * 1.2e-16 * absSum[i * n + j]), $"C[{i},{j}]");
            }
        }
    }

    [Test]
    public void Multiply_LdcShorterThanN_ThrowsNamingLdc()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            double x = 0;
            Dgemm.Multiply(false, false, 1, 4, 1, &x, 1, &x, 4, &x, 3, 0);
        });
        Assert.That(ex!.ParamName, Is.EqualTo("ldc"));
        Assert.That(ex.Message, Does.Contain("ldc=3"));
    }
}
