using Framework.Tensors.Kernels;

namespace Framework.Tests.Tensors.Kernels;

/// <summary>The float softmax rows: the AVX-512 pipeline, the pass-by-pass paths and a double reference agree.</summary>
public class FloatSoftmaxTests
{
    private static float[] Random(int n, int seed)
    {
        var rng = new Random(seed);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(rng.NextDouble() * 40 - 20);
        return x;
    }

    [TestCase(1, 1)]
    [TestCase(2, 16)]
    [TestCase(3, 17)]
    [TestCase(5, 1000)]
    [TestCase(32, 1024)]
    [TestCase(4, 2048)]
    [TestCase(3, 2049)]
    public void AllPaths_SameBits(int rows, int length)
    {
        var x = Random(rows * length, rows + length);
        var expected = new float[x.Length];
        FloatSoftmax.Passes(x, rows, length, log: false, expected, FloatExp.Path.Scalar);
        var actual = new float[x.Length];
        FloatSoftmax.Rows(x, rows, length, log: false, actual);
        Assert.That(actual, Is.EqualTo(expected).AsCollection, "best path");
        foreach (var path in Enum.GetValues<FloatExp.Path>().Where(p => p <= FloatExp.Best))
        {
            FloatSoftmax.Passes(x, rows, length, log: false, actual, path);
            Assert.That(actual, Is.EqualTo(expected).AsCollection, path.ToString());
        }
    }

    [Test]
    public void Rows_CloseToDoubleSoftmax()
    {
        int rows = 7, length = 1030;
        var x = Random(rows * length, 1);
        var y = new float[x.Length];
        FloatSoftmax.Rows(x, rows, length, log: false, y);
        for (int o = 0; o < rows; o++)
        {
            var row = x.Skip(o * length).Take(length).Select(v => (double)v).ToArray();
            double max = row.Max(), sum = row.Sum(v => Math.Exp(v - max));
            for (int i = 0; i < length; i++)
            {
                // Relative error up to half an ulp of x − max (≤ 40 here, so 1.9e-6) comes from rounding the difference
                // to float, as in any float softmax; the exp, the sum and the scaling add a few 1e-7.
                double expected = Math.Exp(row[i] - max) / sum;
                Assert.That(y[o * length + i], Is.EqualTo(expected).Within(3e-4).Percent, $"row {o}, {i}");
            }
        }
    }

    [Test]
    public void NaNInARow_MakesOnlyThatRowNaN()
    {
        int rows = 3, length = 40;
        var x = Random(rows * length, 2);
        x[length + 7] = float.NaN;
        var y = new float[x.Length];
        FloatSoftmax.Rows(x, rows, length, log: false, y);
        Assert.That(y.Skip(length).Take(length).All(float.IsNaN));
        Assert.That(y.Take(length).Concat(y.Skip(2 * length)).Any(float.IsNaN), Is.False);
    }

    /// <summary>Arguments t in (−1, 0), among them (−1/32, 0), where t − ⌊16t⌋/16 is inexact and vreduceps rounds it
    /// down, and a sweep of bit patterns: every path of softmax's exponential gives the same bits and sums.</summary>
    [Test]
    public void ExpShifted_DenseArguments_SameBitsOnEveryPath()
    {
        var x = new float[1 << 16];
        for (int i = 0; i < x.Length / 2; i++) x[i] = -i * (0.7f / (x.Length / 2)) - 1e-9f * (i % 7);
        for (int i = x.Length / 2; i < x.Length; i++) x[i] = -BitConverter.Int32BitsToSingle(i * 16411 & 0x7FFFFFFF);
        var expected = new float[x.Length];
        float sum = FloatSoftmax.ExpShifted(x, 0f, expected, FloatExp.Path.Scalar);
        foreach (var path in Enum.GetValues<FloatExp.Path>().Where(p => p <= FloatExp.Best))
        {
            var actual = new float[x.Length];
            Assert.That(FloatSoftmax.ExpShifted(x, 0f, actual, path), Is.EqualTo(sum), path.ToString());
            Assert.That(actual, Is.EqualTo(expected).AsCollection, path.ToString());
        }
    }

    [Test]
    public void Rows_FarBelowMaxOrMinusInfinity_ExactlyZero()
    {
        int rows = 2, length = 20;
        var x = new float[rows * length];
        for (int i = 0; i < x.Length; i++) x[i] = i % 4 == 0 ? float.NegativeInfinity : i % 4 == 1 ? -150f : i % 4 == 2 ? -1e30f : 0f;
        var y = new float[x.Length];
        FloatSoftmax.Rows(x, rows, length, log: false, y);
        for (int i = 0; i < x.Length; i++) Assert.That(y[i], Is.EqualTo(i % 4 == 3 ? 0.2f : 0f), $"element {i}, x = {x[i]}");
    }

    [Test]
    public void Rows_AllMinusInfinity_NaNAsBefore_OtherRowsUnaffected()
    {
        int rows = 3, length = 17;
        var x = Random(rows * length, 3);
        x.AsSpan(length, length).Fill(float.NegativeInfinity);
        var y = new float[x.Length];
        FloatSoftmax.Rows(x, rows, length, log: false, y);
        Assert.That(y.Skip(length).Take(length).All(float.IsNaN));
        Assert.That(y.Take(length).Concat(y.Skip(2 * length)).Any(float.IsNaN), Is.False);
    }

    /// <summary>max · log₂e overflows float above about 2.4e38: such rows take t = (x − max) · log₂e instead.</summary>
    [TestCase(16)]
    [TestCase(35)]
    public void Rows_HugeLogits_FiniteAndSumToOne(int length)
    {
        int rows = 3;
        var x = Random(rows * length, 4);
        for (int i = 0; i < x.Length; i++) x[i] = 3e38f + x[i] * 1e32f;
        var y = new float[x.Length];
        FloatSoftmax.Rows(x, rows, length, log: false, y);
        var expected = new float[x.Length];
        FloatSoftmax.Passes(x, rows, length, log: false, expected, FloatExp.Path.Scalar);
        Assert.That(y, Is.EqualTo(expected).AsCollection);
        for (int o = 0; o < rows; o++) Assert.That(y.Skip(o * length).Take(length).Sum(), Is.EqualTo(1).Within(1e-6), $"row {o}");
    }
}
