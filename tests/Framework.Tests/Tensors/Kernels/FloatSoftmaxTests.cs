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
}
