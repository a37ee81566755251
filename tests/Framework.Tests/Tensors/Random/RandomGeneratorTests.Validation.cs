using Framework.Tensors;

namespace Framework.Tests.Tensors;

public partial class RandomGeneratorTests
{
    [TestCase(1f, 1f)]
    [TestCase(2f, 1f)]
    [TestCase(float.NaN, 1f)]
    public void FillUniform_LowNotBelowHigh_ThrowsNamingBothBounds(float low, float high)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new RandomGenerator(0).FillUniform(new float[4], low, high));

        Assert.That(ex!.ParamName, Is.EqualTo("high"));
        Assert.That(ex.Message, Does.Contain($"low={low}").And.Contain($"high={high}"));
    }

    [Test]
    public void FillUniform_InfiniteRange_ThrowsNamingBounds()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(
            () => new RandomGenerator(0).FillUniform(new double[4], double.MinValue, double.MaxValue));

        Assert.That(ex!.Message, Does.Contain("must be finite").And.Contain($"low={double.MinValue}"));
    }

    [TestCase(0f)]
    [TestCase(-1f)]
    [TestCase(float.NaN)]
    [TestCase(float.PositiveInfinity)]
    public void FillNormal_StdNotPositive_ThrowsNamingStd(float std)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new RandomGenerator(0).FillNormal(new float[4], 0f, std));

        Assert.That(ex!.ParamName, Is.EqualTo("std"));
        Assert.That(ex.Message, Does.Contain($"std={std}").And.Contain("FillNormal"));
    }

    [Test]
    public void FillTruncatedNormal_NonFiniteMean_ThrowsNamingMean()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(
            () => new RandomGenerator(0).FillTruncatedNormal(new double[4], double.NaN, 1.0));

        Assert.That(ex!.ParamName, Is.EqualTo("mean"));
        Assert.That(ex.Message, Does.Contain($"mean={double.NaN}").And.Contain("FillTruncatedNormal"));
    }

    [TestCase(-0.1)]
    [TestCase(1.5)]
    [TestCase(double.NaN)]
    public void FillBernoulli_ProbabilityOutsideUnitInterval_ThrowsNamingValue(double keepProbability)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(
            () => new RandomGenerator(0).FillBernoulli(new bool[4], keepProbability));

        Assert.That(ex!.ParamName, Is.EqualTo("keepProbability"));
        Assert.That(ex.Message, Does.Contain($"keepProbability={keepProbability}"));
    }

    [TestCase(0)]
    [TestCase(-3)]
    public void NextInt_BoundNotPositive_ThrowsNamingValue(int exclusiveMax)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new RandomGenerator(0).NextInt(exclusiveMax));

        Assert.That(ex!.ParamName, Is.EqualTo("exclusiveMax"));
        Assert.That(ex.Message, Does.Contain(exclusiveMax.ToString()));
    }

    [Test]
    public void Permutation_NegativeCount_ThrowsNamingValue()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new RandomGenerator(0).Permutation(-2));

        Assert.That(ex!.ParamName, Is.EqualTo("n"));
        Assert.That(ex.Message, Does.Contain("-2"));
    }

    [Test]
    public void Split_NullPurpose_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => new RandomGenerator(0).Split(null!));
    }

    [Test]
    public void FailedValidation_DoesNotAdvanceCounter()
    {
        var generator = new RandomGenerator(0);

        Assert.Throws<ArgumentOutOfRangeException>(() => generator.FillBernoulli(new float[8], 2.0));

        Assert.That(generator.GetState(), Is.EqualTo(new RandomState(0, 0, 0)));
    }
}
