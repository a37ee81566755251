using Framework.Tensors.Kernels;

namespace Framework.Tests.Tensors.Kernels;

/// <summary>Softmax's table-driven base-2 exponential: the same bits on every path where the table index and the
/// reduction change (multiples of 1/16), and its error against float64.</summary>
public class FloatSoftmaxExp2Tests
{
    /// <summary>Every multiple of 1/16 in [−152, 2] and the 8 floats either side of it, plus special values.</summary>
    private static float[] Boundaries()
    {
        var t = new List<float> { float.NegativeInfinity, float.NaN, -1e30f, -3e38f, -151f, -150.99f, -200f, -0f, 0f,
            -float.Epsilon, -1e-40f, -1e-30f, -1e-9f, float.PositiveInfinity, 1e30f };
        for (int k = -152 * 16; k <= 2 * 16; k++)
        {
            float b = k / 16f;
            float below = b, above = b;
            t.Add(b);
            for (int s = 0; s < 8; s++)
            {
                below = MathF.BitDecrement(below);
                above = MathF.BitIncrement(above);
                t.Add(below);
                t.Add(above);
            }
        }
        while (t.Count % 16 != 0) t.Add(-0.5f);
        return t.ToArray();
    }

    [Test]
    public void TableBoundaries_SameBitsOnEveryPath()
    {
        var t = Boundaries();
        var expected = new float[t.Length];
        FloatSoftmax.Exp2(t, expected, FloatExp.Path.Scalar);
        foreach (var path in Enum.GetValues<FloatExp.Path>().Where(p => p <= FloatExp.Best))
        {
            var actual = new float[t.Length];
            FloatSoftmax.Exp2(t, actual, path);
            for (int i = 0; i < t.Length; i++)
                Assert.That(BitConverter.SingleToInt32Bits(actual[i]), Is.EqualTo(BitConverter.SingleToInt32Bits(expected[i])),
                    $"{path}: t = {t[i]:R}, {actual[i]:R} against {expected[i]:R}");
        }
    }

    [Test]
    public void SpecialValues()
    {
        float[] t = [float.NegativeInfinity, -151f, -1e30f, float.NaN, 0f, -0f, -1f / 16, -1e-9f];
        var y = new float[t.Length];
        FloatSoftmax.Exp2(t, y, FloatExp.Path.Scalar);
        Assert.That(y[..3], Is.All.EqualTo(0f));
        Assert.That(float.IsNaN(y[3]));
        Assert.That(y[4], Is.EqualTo(1f));
        Assert.That(y[5], Is.EqualTo(1f));
        Assert.That(y[6], Is.EqualTo(MathF.Pow(2, -1f / 16)).Within(1).Ulps);
        Assert.That(y[7], Is.EqualTo(1f).Within(1).Ulps);
    }

    /// <summary>Table and polynomial together, in float, over 2²⁰ arguments in [−1, 0] and the boundaries (normal
    /// results): within 1.05 ulp of 2^t (tests/tools/softmax_exp2_table_fit.py measured 1.03).</summary>
    [Test]
    public void DenseSweep_WithinAnUlp()
    {
        const int n = 1 << 20;
        var dense = new float[n];
        for (int i = 0; i < n; i++) dense[i] = -(float)i / n;
        var t = dense.Concat(Boundaries().Where(v => v is >= -126f and <= 0f)).ToArray();
        var y = new float[t.Length];
        FloatSoftmax.Exp2(t, y, FloatExp.Best);
        double worst = 0;
        for (int i = 0; i < t.Length; i++)
        {
            double exact = Math.Pow(2, t[i]);
            float e32 = (float)exact;
            double ulp = MathF.BitIncrement(e32) - e32;
            worst = Math.Max(worst, Math.Abs(y[i] - exact) / ulp);
        }
        Assert.That(worst, Is.LessThanOrEqualTo(1.05));
        TestContext.Out.WriteLine($"max error {worst:F3} ulp");
    }
}
