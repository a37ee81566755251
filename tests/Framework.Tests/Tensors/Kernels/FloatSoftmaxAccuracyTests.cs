using Framework.Tensors.Kernels;

namespace Framework.Tests.Tensors.Kernels;

/// <summary>Softmax rows against a float64 reference, per element, on typical and extreme rows.</summary>
public class FloatSoftmaxAccuracyTests
{
    private const int RowCount = 3;

    private static IEnumerable<TestCaseData> Cases()
    {
        foreach (int length in new[] { 1, 15, 16, 17, 1000, 1024, 2048, 3000 })
        {
            foreach (string kind in new[] { "normal1", "normal10", "normal30", "dominant", "minusInfinity" })
                yield return new TestCaseData(kind, length).SetName($"Rows_{kind}{length}_WithinBoundOfDoubleReference");
        }
    }

    private static float[] Make(string kind, int length, int seed)
    {
        var rng = new Random(seed);
        var x = new float[RowCount * length];
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        double scale = kind switch { "normal10" => 10, "normal30" => 30, _ => 1 };
        for (int i = 0; i < x.Length; i++) x[i] = (float)(Normal() * scale);
        for (int o = 0; o < RowCount; o++)
        {
            if (kind == "dominant") x[o * length + rng.Next(length)] = 25f;
            if (kind == "minusInfinity")
                for (int i = 0; i < length; i += 1 + o) if (i != length - 1) x[o * length + i] = float.NegativeInfinity;
        }
        return x;
    }

    /// <remarks>
    /// The bound per element: max(4 ulp, 2e−7 relative) of the float64 softmax of the same floats, plus
    /// |x − max| · 2⁻²³ relative for rounding the exponent's argument to float. That term is in every float softmax:
    /// rounding x − max (the obvious code, and this one before the base-2 exponential) or t = x · log₂e − M (now) to
    /// float changes exp by up to |x − max| · 2⁻²⁴ relatively, 30 ulp for x − max = −60. Both versions measured
    /// within 1.2 × 2⁻²⁴ of it beyond the 4 ulp.
    /// </remarks>
    [TestCaseSource(nameof(Cases))]
    public void Rows_WithinBoundOfDoubleReference(string kind, int length)
    {
        var x = Make(kind, length, length * 7 + kind.Length);
        var y = new float[x.Length];
        FloatSoftmax.Rows(x, RowCount, length, log: false, y);
        var passes = new float[x.Length];
        FloatSoftmax.Passes(x, RowCount, length, log: false, passes, FloatExp.Path.Scalar);
        Assert.That(y, Is.EqualTo(passes).AsCollection, "the scalar passes give other bits");
        for (int o = 0; o < RowCount; o++)
        {
            var row = x.AsSpan(o * length, length).ToArray();
            double max = row.Max(), sum = row.Sum(v => Math.Exp(v - max)), total = 0;
            for (int i = 0; i < length; i++)
            {
                double expected = Math.Exp(row[i] - max) / sum, actual = y[o * length + i];
                float e32 = (float)expected;
                double allowed = Math.Max(4 * (MathF.BitIncrement(e32) - e32), 2e-7 * expected) + (expected == 0 ? 0 : expected * Math.Abs(row[i] - max) * Math.Pow(2, -23));
                Assert.That(Math.Abs(actual - expected), Is.LessThanOrEqualTo(allowed), $"row {o}, element {i}: x = {row[i]:R}, max = {max:R}, y = {actual:R}, expected {expected:R}");
                total += actual;
            }
            Assert.That(total, Is.EqualTo(1).Within(1e-6), $"sum of row {o}");
        }
    }
}
