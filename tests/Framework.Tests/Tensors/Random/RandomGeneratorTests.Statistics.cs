using System.Numerics;
using Framework.Tensors;

namespace Framework.Tests.Tensors;

// Fixed seeds make these exact regressions; the bounds are several standard errors wide yet still fail for a
// wrong scale, offset or truncation.
public partial class RandomGeneratorTests
{
    private const int Samples = 1_000_000;

    [Test]
    public void FillUniform_Float_HasUniformMeanVarianceAndRange()
    {
        float[] values = new float[Samples];
        new RandomGenerator(101).FillUniform(values, -1f, 3f);

        (double mean, double variance) = Moments(values);

        Assert.That(values.Min(), Is.GreaterThanOrEqualTo(-1f));
        Assert.That(values.Max(), Is.LessThan(3f));
        Assert.That(mean, Is.EqualTo(1.0).Within(0.01));
        Assert.That(variance, Is.EqualTo(16.0 / 12).Within(0.01));
    }

    [Test]
    public void FillUniform_Double_HasUniformMeanVarianceAndRange()
    {
        double[] values = new double[Samples / 4];
        new RandomGenerator(102).FillUniform(values, 10.0, 12.0);

        (double mean, double variance) = Moments(values);

        Assert.That(values.Min(), Is.GreaterThanOrEqualTo(10.0));
        Assert.That(values.Max(), Is.LessThan(12.0));
        Assert.That(mean, Is.EqualTo(11.0).Within(0.01));
        Assert.That(variance, Is.EqualTo(4.0 / 12).Within(0.005));
    }

    [Test]
    public void FillUniform_RangeRoundsUpToHigh_StaysBelowHigh()
    {
        // With low = 1 and high = 1 + 2ulp, low + scale·u rounds up to high for the largest draws.
        float high = float.BitIncrement(float.BitIncrement(1f));
        float[] values = new float[4096];
        new RandomGenerator(103).FillUniform(values, 1f, high);

        Assert.That(values.Min(), Is.GreaterThanOrEqualTo(1f));
        Assert.That(values.Max(), Is.LessThan(high));
    }

    [Test]
    public void FillNormal_Float_HasRequestedMeanAndStd()
    {
        float[] values = new float[Samples];
        new RandomGenerator(104).FillNormal(values, 2f, 3f);

        (double mean, double variance) = Moments(values);

        Assert.That(values.Count(float.IsNaN), Is.Zero);
        Assert.That(mean, Is.EqualTo(2.0).Within(0.015));
        Assert.That(Math.Sqrt(variance), Is.EqualTo(3.0).Within(0.015));
    }

    [Test]
    public void FillNormal_Float_TailFractionMatchesGaussian()
    {
        float[] values = new float[Samples];
        new RandomGenerator(105).FillNormal(values, 0f, 1f);

        double beyondTwo = values.Count(v => Math.Abs(v) > 2) / (double)Samples;

        // P(|Z| > 2) = 0.0455 for a standard normal.
        Assert.That(beyondTwo, Is.EqualTo(0.0455).Within(0.001));
    }

    [Test]
    public void FillNormal_Double_HasRequestedMeanAndStd()
    {
        double[] values = new double[Samples / 4];
        new RandomGenerator(106).FillNormal(values, -1.0, 0.5);

        (double mean, double variance) = Moments(values);

        Assert.That(mean, Is.EqualTo(-1.0).Within(0.005));
        Assert.That(Math.Sqrt(variance), Is.EqualTo(0.5).Within(0.005));
    }

    [Test]
    public void FillTruncatedNormal_Float_StaysWithinTwoStdAndHasTruncatedStd()
    {
        float[] values = new float[Samples / 2];
        new RandomGenerator(107).FillTruncatedNormal(values, 1f, 2f);

        (double mean, double variance) = Moments(values);

        Assert.That(values.Min(), Is.GreaterThan(-3f));
        Assert.That(values.Max(), Is.LessThan(5f));
        Assert.That(mean, Is.EqualTo(1.0).Within(0.01));
        Assert.That(Math.Sqrt(variance), Is.EqualTo(0.8796 * 2).Within(0.01));
    }

    [Test]
    public void FillTruncatedNormal_Double_StaysWithinTwoStdAndHasTruncatedStd()
    {
        double[] values = new double[Samples / 4];
        new RandomGenerator(108).FillTruncatedNormal(values, 0.0, 1.0);

        (double mean, double variance) = Moments(values);

        Assert.That(values.Min(), Is.GreaterThan(-2.0));
        Assert.That(values.Max(), Is.LessThan(2.0));
        Assert.That(mean, Is.EqualTo(0.0).Within(0.01));
        Assert.That(Math.Sqrt(variance), Is.EqualTo(0.8796).Within(0.005));
    }

    [TestCase(0.1)]
    [TestCase(0.5)]
    [TestCase(0.9)]
    public void FillBernoulli_KeepRate_MatchesProbability(double keepProbability)
    {
        float[] mask = new float[Samples / 4];
        new RandomGenerator(109).FillBernoulli(mask, keepProbability);

        double rate = mask.Average();

        Assert.That(mask.Count(v => v is not (0f or 1f)), Is.Zero);
        Assert.That(rate, Is.EqualTo(keepProbability).Within(0.005));
    }

    [Test]
    public void NextInt_SmallBound_IsUniformOverValues()
    {
        var generator = new RandomGenerator(110);
        int[] counts = new int[7];
        for (int i = 0; i < 70_000; i++) counts[generator.NextInt(7)]++;

        Assert.That(counts.Min(), Is.GreaterThanOrEqualTo(9_600));
        Assert.That(counts.Max(), Is.LessThanOrEqualTo(10_400));
    }

    [Test]
    public void Permutation_IsPermutationOfRange()
    {
        int[] permutation = new RandomGenerator(111).Permutation(1000);

        Assert.That(permutation.Order(), Is.EqualTo(Enumerable.Range(0, 1000)));
        Assert.That(permutation, Is.Not.EqualTo(Enumerable.Range(0, 1000)));
    }

    [Test]
    public void Shuffle_ManyRuns_EachElementLandsEvenlyOnEachPosition()
    {
        const int n = 5, runs = 50_000;
        var generator = new RandomGenerator(112);
        int[,] counts = new int[n, n];
        Span<int> values = stackalloc int[n];
        for (int run = 0; run < runs; run++)
        {
            for (int i = 0; i < n; i++) values[i] = i;
            generator.Shuffle(values);
            for (int position = 0; position < n; position++) counts[values[position], position]++;
        }

        // Expected 10 000 per cell with a standard deviation of about 89.
        Assert.That(counts.Cast<int>().Min(), Is.GreaterThanOrEqualTo(9_600));
        Assert.That(counts.Cast<int>().Max(), Is.LessThanOrEqualTo(10_400));
    }

    private static (double Mean, double Variance) Moments<T>(ReadOnlySpan<T> values)
        where T : INumberBase<T>
    {
        double sum = 0, sumSquares = 0;
        foreach (T value in values)
        {
            double v = double.CreateTruncating(value);
            sum += v;
            sumSquares += v * v;
        }
        double mean = sum / values.Length;
        return (mean, sumSquares / values.Length - mean * mean);
    }
}
