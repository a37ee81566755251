using Framework.Tensors;
using Framework.Tensors.Kernels;

namespace Framework.Tests.Tensors.Kernels;

public unsafe class SgemmTests
{
    private static readonly (int M, int N, int K)[] s_shapes =
    [
        (1, 1, 1), (1, 7, 3), (7, 1, 13), (7, 13, 97), (13, 7, 5), (8, 32, 256), (9, 33, 257),
        (97, 31, 17), (16, 64, 8), (65, 100, 300), (70, 45, 64), (33, 129, 520), (3, 4100, 5),
    ];

    private static IEnumerable<TestCaseData> Cases()
    {
        foreach (var (m, n, k) in s_shapes)
        {
            foreach (bool transA in new[] { false, true })
            {
                foreach (bool transB in new[] { false, true })
                {
                    yield return new TestCaseData(m, n, k, transA, transB, 0f).SetArgDisplayNames($"{m}x{n}x{k}", $"tA={transA}", $"tB={transB}", "beta=0");
                    yield return new TestCaseData(m, n, k, transA, transB, 1f).SetArgDisplayNames($"{m}x{n}x{k}", $"tA={transA}", $"tB={transB}", "beta=1");
                }
            }
        }
    }

    private static IEnumerable<SgemmKernelKind> SupportedKinds() =>
        Enum.GetValues<SgemmKernelKind>().Where(kind => kind <= Sgemm.BestKernel);

    private int _savedMaxThreads;

    [SetUp]
    public void SetUp() => _savedMaxThreads = Threading.MaxThreads;

    [TearDown]
    public void TearDown()
    {
        Sgemm.ForcedKernel = null;
        Threading.MaxThreads = _savedMaxThreads;
    }

    [TestCaseSource(nameof(Cases))]
    public void Multiply_Shape_MatchesDoubleReference(int m, int n, int k, bool transA, bool transB, float beta)
    {
        foreach (var kind in SupportedKinds())
        {
            Sgemm.ForcedKernel = kind;
            CheckAgainstReference(m, n, k, transA, transB, beta, pad: 0, seed: m * 7919 + n * 31 + k, label: kind.ToString());
        }
    }

    [TestCase(false, false)]
    [TestCase(false, true)]
    [TestCase(true, false)]
    [TestCase(true, true)]
    public void Multiply_StridesWiderThanRows_UsesStridesAndLeavesPaddingAlone(bool transA, bool transB)
    {
        foreach (var kind in SupportedKinds())
        {
            Sgemm.ForcedKernel = kind;
            CheckAgainstReference(37, 45, 29, transA, transB, 1f, pad: 5, seed: 3, label: kind.ToString());
            CheckAgainstReference(100, 70, 300, transA, transB, 0f, pad: 3, seed: 4, label: kind.ToString());
        }
    }

    [TestCase(false, false)]
    [TestCase(false, true)]
    [TestCase(true, false)]
    [TestCase(true, true)]
    public void Multiply_ShapeLargeEnoughToPackInParallel_MatchesDoubleReference(bool transA, bool transB)
    {
        Threading.MaxThreads = 2;
        CheckAgainstReference(130, 260, 270, transA, transB, 1f, pad: 1, seed: 5, label: Sgemm.BestKernel.ToString());
    }

    [TestCase(0f)]
    [TestCase(1f)]
    public void Multiply_KIsZero_ScalesC(float beta)
    {
        float[] c = [1f, float.NaN, 3f, 4f];
        fixed (float* pc = c)
        {
            float dummy = 0;
            Sgemm.Multiply(false, false, 2, 2, 0, &dummy, 1, &dummy, 2, pc, 2, beta);
        }
        Assert.That(c, beta == 0f ? Is.EqualTo(new[] { 0f, 0f, 0f, 0f }) : Is.EqualTo(new[] { 1f, float.NaN, 3f, 4f }));
    }

    [Test]
    public void Multiply_BetaTwo_ScalesExistingC()
    {
        float[] a = [1f, 2f], b = [3f, 4f], c = [10f];
        fixed (float* pa = a, pb = b, pc = c)
            Sgemm.Multiply(false, false, 1, 1, 2, pa, 2, pb, 1, pc, 1, 2f);
        Assert.That(c[0], Is.EqualTo(31f));
    }

    [TestCase(false, false)]
    [TestCase(false, true)]
    [TestCase(true, false)]
    [TestCase(true, true)]
    public void Multiply_OneVersusTwoThreads_BitIdentical(bool transA, bool transB)
    {
        foreach (var (m, n, k) in new[] { (150, 200, 300), (32, 784, 128), (784, 128, 32), (32, 128, 784), (130, 260, 270) })
        {
            Threading.MaxThreads = 1;
            float[] single = Run(transA, transB, m, n, k, seed: 11);
            Threading.MaxThreads = 2;
            float[] two = Run(transA, transB, m, n, k, seed: 11);
            Threading.MaxThreads = 3;
            float[] three = Run(transA, transB, m, n, k, seed: 11);
            Assert.That(BitConverter.SingleToInt32Bits(two[0]), Is.EqualTo(BitConverter.SingleToInt32Bits(single[0])));
            Assert.That(two, Is.EqualTo(single).AsCollection, $"{m}x{n}x{k} 2 threads");
            Assert.That(three, Is.EqualTo(single).AsCollection, $"{m}x{n}x{k} 3 threads");
        }
    }

    [Test]
    public void Multiply_TwoCallersAtOnce_EachMatchesSerialResult()
    {
        Threading.MaxThreads = 2;
        float[] expected1 = Run(false, true, 96, 200, 150, seed: 1);
        float[] expected2 = Run(true, false, 120, 64, 300, seed: 2);
        var results = new float[2][][];
        Parallel.For(0, 2, t =>
        {
            results[t] = new float[20][];
            for (int r = 0; r < 20; r++)
                results[t][r] = t == 0 ? Run(false, true, 96, 200, 150, seed: 1) : Run(true, false, 120, 64, 300, seed: 2);
        });
        Assert.That(results[0], Has.All.EqualTo(expected1));
        Assert.That(results[1], Has.All.EqualTo(expected2));
    }

    [Test]
    public void Multiply_NegativeM_ThrowsNamingM()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Sgemm.Multiply(false, false, -1, 1, 1, null, 1, null, 1, null, 1, 0f));
        Assert.That(ex!.ParamName, Is.EqualTo("m"));
    }

    [Test]
    public void Multiply_LdaShorterThanRow_ThrowsNamingLdaAndValue()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            float x = 0;
            Sgemm.Multiply(false, false, 2, 2, 3, &x, 2, &x, 2, &x, 2, 0f);
        });
        Assert.That(ex!.ParamName, Is.EqualTo("lda"));
        Assert.That(ex.Message, Does.Contain("lda=2").And.Contain("(3)"));
    }

    private static float[] Run(bool transA, bool transB, int m, int n, int k, int seed)
    {
        float[] a = GemmReference.Random(m * k, seed).Select(x => (float)x).ToArray();
        float[] b = GemmReference.Random(k * n, seed + 1).Select(x => (float)x).ToArray();
        var c = new float[m * n];
        fixed (float* pa = a, pb = b, pc = c)
            Sgemm.Multiply(transA, transB, m, n, k, pa, transA ? m : k, pb, transB ? k : n, pc, n, 0f);
        return c;
    }

    private static void CheckAgainstReference(int m, int n, int k, bool transA, bool transB, float beta, int pad, int seed, string label)
    {
        int lda = (transA ? m : k) + pad, ldb = (transB ? k : n) + pad, ldc = n + pad;
        double[] a = GemmReference.Random((transA ? k : m) * lda, seed);
        double[] b = GemmReference.Random((transB ? n : k) * ldb, seed + 1);
        double[] c0 = GemmReference.Random(m * ldc, seed + 2);
        float[] af = a.Select(x => (float)x).ToArray(), bf = b.Select(x => (float)x).ToArray();
        float[] cf = c0.Select(x => (float)x).ToArray();
        // With beta == 0 the kernel must overwrite C without reading it, so fill it with NaN; padding keeps a marker.
        if (beta == 0f)
            Array.Fill(cf, float.NaN);
        for (int i = 0; i < m; i++)
        {
            for (int j = n; j < ldc; j++)
                cf[i * ldc + j] = 12345f;
        }
        var (expected, absSum) = GemmReference.Multiply(transA, transB, m, n, k,
            af.Select(x => (double)x).ToArray(), lda, bf.Select(x => (double)x).ToArray(), ldb,
            cf.Select(x => (double)x).ToArray(), ldc, beta);

        fixed (float* pa = af, pb = bf, pc = cf)
            Sgemm.Multiply(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, beta);

        // Any summation order is within (k + 1)·eps·Σ|a·b| of the exact result (Higham, Thm 3.1).
        double eps = Math.Pow(2, -24);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double tolerance = (k + 2) * eps * absSum[i * n + j] + 1e-30;
                Assert.That((double)cf[i * ldc + j], Is.EqualTo(expected[i * n + j]).Within(tolerance),
                    $"{label} {m}x{n}x{k} tA={transA} tB={transB} beta={beta}: C[{i},{j}]");
            }
            for (int j = n; j < ldc; j++)
                Assert.That(cf[i * ldc + j], Is.EqualTo(12345f), $"{label}: padding C[{i},{j}] was written");
        }
    }
}
