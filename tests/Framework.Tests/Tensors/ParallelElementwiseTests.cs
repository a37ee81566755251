using Framework.Tensors;
using Framework.Tensors.Backends.Cpu;

namespace Framework.Tests.Tensors;

/// <summary>Large element-wise ops run across the cores in fixed chunks: results must not depend on the thread count.</summary>
public class ParallelElementwiseTests
{
    private static float[] On(int threads, Func<Tensor> op) => On<float>(threads, op);

    private static IEnumerable<TestCaseData> Ops()
    {
        // Not a multiple of the chunk size, so the last chunk is partial.
        int n = CpuBackend.ParallelThreshold * 2 + 12345;
        var a = Tensor.RandomNormal([n], generator: new RandomGenerator(1));
        var b = Tensor.RandomNormal([n], generator: new RandomGenerator(2));
        var rows = Tensor.RandomNormal([n / 1000, 1000], generator: new RandomGenerator(3));
        yield return new TestCaseData((Func<Tensor>)(() => a + b)).SetName("Add");
        yield return new TestCaseData((Func<Tensor>)(() => a * 0.5)).SetName("MultiplyScalar");
        yield return new TestCaseData((Func<Tensor>)(() => 1 / a)).SetName("ScalarDivide");
        yield return new TestCaseData((Func<Tensor>)(() => a.Exp())).SetName("Exp");
        yield return new TestCaseData((Func<Tensor>)(() => a.Tanh())).SetName("Tanh");
        yield return new TestCaseData((Func<Tensor>)(() => rows.Softmax())).SetName("SoftmaxRows");
        yield return new TestCaseData((Func<Tensor>)(() => rows.LogSoftmax())).SetName("LogSoftmaxRows");
        yield return new TestCaseData((Func<Tensor>)(() => a.Sum())).SetName("SumAll");
        yield return new TestCaseData((Func<Tensor>)(() => a.Mean())).SetName("MeanAll");
        yield return new TestCaseData((Func<Tensor>)(() => a.Max())).SetName("MaxAll");
        yield return new TestCaseData((Func<Tensor>)(() => a.Min())).SetName("MinAll");
        yield return new TestCaseData((Func<Tensor>)(() => rows.Sum(-1))).SetName("SumRows");
        yield return new TestCaseData((Func<Tensor>)(() => rows.Sum(0))).SetName("SumColumns");
        yield return new TestCaseData((Func<Tensor>)(() => rows.Max(0))).SetName("MaxColumns");
        yield return new TestCaseData((Func<Tensor>)(() => rows.Min(-1))).SetName("MinRows");
        // A middle axis with a narrow inner extent: tasks group several outer indices.
        var cube = Tensor.RandomNormal([n / 3000, 1000, 3], generator: new RandomGenerator(4));
        yield return new TestCaseData((Func<Tensor>)(() => cube.Sum(1))).SetName("SumMiddleAxis");
        // Rows wide enough to be split into column strips.
        var wide = Tensor.RandomNormal([300, 2100], generator: new RandomGenerator(5));
        yield return new TestCaseData((Func<Tensor>)(() => wide.Sum(0))).SetName("SumWideColumns");
        yield return new TestCaseData((Func<Tensor>)(() => wide.Max(0))).SetName("MaxWideColumns");
    }

    [TestCaseSource(nameof(Ops))]
    public void LargeOp_OneAndTwoThreads_BitIdentical(Func<Tensor> op)
    {
        var one = On(1, op);
        var two = On(2, op);
        Assert.That(two, Is.EqualTo(one));
    }

    [Test]
    public void LargeAdd_MatchesElementwiseReference()
    {
        int n = CpuBackend.ParallelThreshold + 777;
        var a = Tensor.Arange(0, n);
        var y = On(2, () => a + a).AsSpan();
        for (int i = 0; i < n; i += 997) Assert.That(y[i], Is.EqualTo(2f * i), $"element {i}");
        Assert.That(y[n - 1], Is.EqualTo(2f * (n - 1)));
    }

    /// <summary>Large column sums with few columns are summed in blocks of rows across the cores; with small integers
    /// every order is exact, so the totals must equal the integer sums, including a partial last block.</summary>
    [TestCase(1024, 1024)]
    [TestCase(1000, 300)]
    [TestCase(4097, 64)]
    public void LargeColumnSum_RowBlocks_ExactOnIntegers(int rows, int columns)
    {
        var values = new float[rows * columns];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++) values[i * columns + j] = (i * 7 + j) % 5;
        var x = Tensor.FromArray(values, rows, columns);
        foreach (int threads in new[] { 1, 2 })
        {
            var y = On(threads, () => x.Sum(0));
            for (int j = 0; j < columns; j++)
            {
                long expected = 0;
                for (int i = 0; i < rows; i++) expected += (i * 7 + j) % 5;
                Assert.That(y[j], Is.EqualTo((float)expected), $"column {j} on {threads} thread(s)");
            }
        }
    }

    /// <summary>One long row is reduced in blocks across the cores: with small integers every order is exact, so the sum
    /// must equal the integer total; the extremes sit in the partial last block, and a NaN anywhere must win.</summary>
    [TestCase(1 << 20)]
    [TestCase(CpuBackend.ParallelThreshold + 12345)]
    public void LongRow_Reductions_MatchExactReferences(int n)
    {
        var values = new float[n];
        long total = 0;
        for (int i = 0; i < n; i++)
        {
            values[i] = (i * 13) % 7;
            total += (i * 13) % 7;
        }
        values[n - 3] = 100f;
        values[n - 2] = -100f;
        total += 100 - (((n - 3) * 13) % 7) - 100 - (((n - 2) * 13) % 7);
        var x = Tensor.FromArray(values, n);
        foreach (int threads in new[] { 1, 2 })
        {
            Assert.That(On(threads, () => x.Sum())[0], Is.EqualTo((float)total), $"sum on {threads} thread(s)");
            Assert.That(On(threads, () => x.Max())[0], Is.EqualTo(100f), $"max on {threads} thread(s)");
            Assert.That(On(threads, () => x.Min())[0], Is.EqualTo(-100f), $"min on {threads} thread(s)");
        }
        values[n / 3] = float.NaN;
        var withNaN = Tensor.FromArray(values, n);
        foreach (int threads in new[] { 1, 2 })
        {
            Assert.That(On(threads, () => withNaN.Max())[0], Is.NaN, $"max with a NaN on {threads} thread(s)");
            Assert.That(On(threads, () => withNaN.Sum())[0], Is.NaN, $"sum with a NaN on {threads} thread(s)");
        }
    }

    /// <summary>The long-row path for the other dtypes the reductions take: integer sums (exact in every order, wrapping
    /// included) and extremes, and a double row whose minimum is NaN-poisoned.</summary>
    [Test]
    public void LongRow_OtherDTypes_MatchReferences()
    {
        int n = CpuBackend.ParallelThreshold * 2 + 999;
        var ints = new int[n];
        var longs = new long[n];
        var doubles = new double[n];
        for (int i = 0; i < n; i++)
        {
            ints[i] = (i * 31) % 1000 - 500;
            longs[i] = (long)i * 3_000_000_000L;
            doubles[i] = Math.Sin(i);
        }
        ints[n - 1] = int.MaxValue;
        foreach (int threads in new[] { 1, 2 })
        {
            int intSum = 0;
            foreach (int v in ints) intSum = unchecked(intSum + v);
            long longSum = 0;
            foreach (long v in longs) longSum = unchecked(longSum + v);
            Assert.That(On<int>(threads, () => Tensor.FromArray(ints, n).Sum())[0], Is.EqualTo(intSum), $"int sum on {threads} thread(s)");
            Assert.That(On<int>(threads, () => Tensor.FromArray(ints, n).Max())[0], Is.EqualTo(int.MaxValue), $"int max on {threads} thread(s)");
            Assert.That(On<long>(threads, () => Tensor.FromArray(longs, n).Sum())[0], Is.EqualTo(longSum), $"long sum (wrapping) on {threads} thread(s)");
            Assert.That(On<long>(threads, () => Tensor.FromArray(longs, n).Min())[0], Is.EqualTo(0L), $"long min on {threads} thread(s)");
            Assert.That(On<double>(threads, () => Tensor.FromArray(doubles, n).Max())[0], Is.EqualTo(doubles.Max()), $"double max on {threads} thread(s)");
        }
        doubles[n - 5] = double.NaN;
        Assert.That(On<double>(2, () => Tensor.FromArray(doubles, n).Min())[0], Is.NaN, "double min with a NaN");
        var one = On<double>(1, () => Tensor.FromArray(doubles, n).Sum());
        Assert.That(On<double>(2, () => Tensor.FromArray(doubles, n).Sum()), Is.EqualTo(one), "double sum, 1 against 2 threads");
    }

    private static T[] On<T>(int threads, Func<Tensor> op) where T : unmanaged
    {
        int saved = Threading.MaxThreads;
        Threading.MaxThreads = threads;
        try
        {
            return op().ToArray<T>();
        }
        finally
        {
            Threading.MaxThreads = saved;
        }
    }
}
