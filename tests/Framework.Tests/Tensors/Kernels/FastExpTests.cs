using Framework.Tensors.Kernels;

namespace Framework.Tests.Tensors.Kernels;

public class FastExpTests
{
    private static float[] Inputs()
    {
        var rng = new Random(11);
        var values = new List<float>();
        for (int i = 0; i < 200_000; i++) values.Add((float)(rng.NextDouble() * 176 - 87));
        values.AddRange([0f, -0f, 1f, -1f, 1e-8f, -1e-8f, 88.7f, -87.3f, 0.34657359f, -0.34657359f]);
        return [.. values];
    }

    [Test]
    public void Exp_NormalRange_WithinTwoUlpOfTheExactValue()
    {
        var x = Inputs();
        var y = new float[x.Length];
        FastExp.Exp(x, y);
        for (int i = 0; i < x.Length; i++)
        {
            double exact = Math.Exp(x[i]);
            if (exact > float.MaxValue)
            {
                Assert.That(y[i], Is.EqualTo(float.PositiveInfinity), $"exp({x[i]:R}) overflows float");
                continue;
            }
            double ulp = MathF.BitIncrement((float)exact) - (float)exact;
            Assert.That(Math.Abs(y[i] - exact), Is.LessThanOrEqualTo(2 * ulp), $"exp({x[i]:R}) = {y[i]:R}, exact {exact:R}");
        }
    }

    [Test]
    public void Exp_SpecialValues_InfinityZeroNaN()
    {
        float[] x = [float.NaN, float.PositiveInfinity, 89f, 1000f, float.NegativeInfinity, -88f, -1000f, 0f];
        var vector = new float[64];
        Array.Fill(vector, 0f);
        x.CopyTo(vector, 0);
        var y = new float[64];
        FastExp.Exp(vector, y);
        Assert.That(float.IsNaN(y[0]), Is.True);
        Assert.That(y[1..4], Is.All.EqualTo(float.PositiveInfinity));
        Assert.That(y[4..7], Is.All.EqualTo(0f));
        Assert.That(y[7], Is.EqualTo(1f));
        Assert.That(FastExp.Exp(float.NaN), Is.NaN);
        Assert.That(FastExp.Exp(1000f), Is.EqualTo(float.PositiveInfinity));
        Assert.That(FastExp.Exp(-1000f), Is.EqualTo(0f));
    }

    [Test]
    public void Exp_VectorAndScalarPaths_BitIdentical()
    {
        var x = Inputs();
        var vector = new float[x.Length];
        var scalar = new float[x.Length];
        FastExp.Exp(x, vector);
        FastExp.ForceScalar = true;
        try
        {
            FastExp.Exp(x, scalar);
        }
        finally
        {
            FastExp.ForceScalar = false;
        }
        Assert.That(vector, Is.EqualTo(scalar));
    }

    [Test]
    public void ExpShifted_ReturnsTheSum()
    {
        float[] x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
        var y = new float[x.Length];
        float sum = FastExp.ExpShifted(x, 19, y);
        Assert.That(sum, Is.EqualTo(y.Sum()).Within(1e-5));
        Assert.That(y[^1], Is.EqualTo(1f));
    }
}
