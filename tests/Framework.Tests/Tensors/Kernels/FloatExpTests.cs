using Framework.Tensors.Kernels;

namespace Framework.Tests.Tensors.Kernels;

/// <summary>The float32 exp kernel against double-precision <see cref="Math.Exp"/>, and its paths against each other.</summary>
public class FloatExpTests
{
    /// <summary>The documented bound: at most 1 ulp from exp rounded correctly to float, subnormals included.</summary>
    private const int MaxUlps = 1;

    /// <summary>The paths this machine can run, by name (the enum is internal, test methods are public).</summary>
    private static IEnumerable<string> Paths() =>
        Enum.GetValues<FloatExp.Path>().Where(p => p <= FloatExp.Best).Select(p => p.ToString());

    private static FloatExp.Path Parse(string path) => Enum.Parse<FloatExp.Path>(path);

    /// <summary>Every 1021st float bit pattern (about 8000 per binade) (all signs and exponents), then dense runs around the thresholds.</summary>
    private static float[] Sweep()
    {
        var values = new List<float>();
        for (long bits = 0; bits <= uint.MaxValue; bits += 1021) values.Add(BitConverter.UInt32BitsToSingle((uint)bits));
        foreach (float centre in new[] { 0f, 1f, -1f, 88.72283f, -87.33655f, -103.27893f, -103.972084f, 0.3465736f, -0.3465736f })
        {
            int c = BitConverter.SingleToInt32Bits(centre);
            for (int d = -20000; d <= 20000; d++) values.Add(BitConverter.Int32BitsToSingle(c + d));
        }
        values.AddRange([float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.MaxValue, float.MinValue,
            float.Epsilon, -float.Epsilon, 0f, -0f, 150f, -150f, 149.99998f, 1e30f, -1e30f]);
        return values.ToArray();
    }

    private static readonly float[] s_sweep = Sweep();
    private static readonly Lazy<float[]> s_scalar = new(() =>
    {
        var y = new float[s_sweep.Length];
        FloatExp.Exp(s_sweep, y, FloatExp.Path.Scalar);
        return y;
    });

    [TestCaseSource(nameof(Paths))]
    public void Sweep_WithinOneUlpOfDoubleExp(string path)
    {
        var y = new float[s_sweep.Length];
        FloatExp.Exp(s_sweep, y, Parse(path));
        long worst = 0;
        float worstX = 0;
        for (int i = 0; i < s_sweep.Length; i++)
        {
            float x = s_sweep[i], expected = (float)Math.Exp(x);
            if (float.IsNaN(x))
            {
                Assert.That(float.IsNaN(y[i]), $"exp(NaN) = {y[i]}");
                continue;
            }
            long ulps = Math.Abs((long)BitConverter.SingleToInt32Bits(y[i]) - BitConverter.SingleToInt32Bits(expected));
            if (ulps > worst) (worst, worstX) = (ulps, x);
        }
        TestContext.Out.WriteLine($"{path}: worst {worst} ulp at x = {worstX:R}");
        Assert.That(worst, Is.LessThanOrEqualTo(MaxUlps), $"{worst} ulp at x = {worstX:R}");
    }

    [TestCaseSource(nameof(Paths))]
    public void SpecialValues(string path)
    {
        float[] x = [float.PositiveInfinity, float.NegativeInfinity, float.NaN, 0f, -0f, 89f, -104f, -88f, 1f];
        var y = new float[x.Length];
        FloatExp.Exp(x, y, Parse(path));
        Assert.That(y[0], Is.EqualTo(float.PositiveInfinity));
        Assert.That(y[1], Is.EqualTo(0f));
        Assert.That(float.IsNaN(y[2]));
        Assert.That(y[3], Is.EqualTo(1f));
        Assert.That(y[4], Is.EqualTo(1f));
        Assert.That(y[5], Is.EqualTo(float.PositiveInfinity));
        Assert.That(y[6], Is.EqualTo(0f));
        Assert.That(float.IsSubnormal(y[7]) || float.IsNormal(y[7]), Is.True);
        Assert.That(y[8], Is.EqualTo(MathF.E));
    }

    [TestCaseSource(nameof(Paths))]
    public void Path_SameBitsAndSumAsScalar(string path)
    {
        // Lengths around the 16-element block, and a shift, as softmax rows use it.
        var rng = new Random(5);
        foreach (int n in new[] { 0, 1, 15, 16, 17, 31, 100, 1024, 1037 })
        {
            var x = new float[n];
            for (int i = 0; i < n; i++) x[i] = (float)(rng.NextDouble() * 60 - 40);
            float[] expected = new float[n], actual = new float[n];
            float expectedSum = FloatExp.ExpShifted(x, 3.5f, expected, FloatExp.Path.Scalar);
            float actualSum = FloatExp.ExpShifted(x, 3.5f, actual, Parse(path));
            Assert.That(actual, Is.EqualTo(expected).AsCollection, $"n = {n}");
            Assert.That(BitConverter.SingleToInt32Bits(actualSum), Is.EqualTo(BitConverter.SingleToInt32Bits(expectedSum)), $"n = {n}");
            // exp(x − shift) through ExpShifted is exp of the rounded difference, as Exp gives it.
            var shifted = x.Select(v => v - 3.5f).ToArray();
            FloatExp.Exp(shifted, actual, Parse(path));
            Assert.That(actual, Is.EqualTo(expected).AsCollection, $"Exp, n = {n}");
        }
    }

    [TestCaseSource(nameof(Paths))]
    public void Sweep_SameBitsAsScalar(string path)
    {
        var actual = new float[s_sweep.Length];
        FloatExp.Exp(s_sweep, actual, Parse(path));
        var expected = s_scalar.Value;
        for (int i = 0; i < actual.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(actual[i]) != BitConverter.SingleToInt32Bits(expected[i]) && !float.IsNaN(expected[i]))
                Assert.Fail($"{path}: exp({s_sweep[i]:R}) = {actual[i]:R}, scalar {expected[i]:R}");
        }
    }

    [Test]
    public void InPlace_SameAsOutOfPlace()
    {
        var x = Enumerable.Range(0, 100).Select(i => i * 0.37f - 20f).ToArray();
        var y = new float[x.Length];
        FloatExp.Exp(x, y);
        FloatExp.Exp(x, x);
        Assert.That(x, Is.EqualTo(y).AsCollection);
    }
}
