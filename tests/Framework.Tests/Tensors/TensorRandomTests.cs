using Framework.Tensors;

namespace Framework.Tests.Tensors;

public class TensorRandomTests
{
    [Test]
    public void RandomUniform_SeededGenerator_ReproducibleAndInRange()
    {
        var a = Tensor.RandomUniform([1000], -2, 3, new RandomGenerator(5)).ToArray<float>();
        var b = Tensor.RandomUniform([1000], -2, 3, new RandomGenerator(5)).ToArray<float>();
        Assert.That(b, Is.EqualTo(a));
        Assert.That(a.Min(), Is.GreaterThanOrEqualTo(-2f));
        Assert.That(a.Max(), Is.LessThan(3f));
        Assert.That(a.Average(), Is.EqualTo(0.5).Within(0.15));
    }

    [Test]
    public void RandomNormal_Float64_MeanAndStd()
    {
        var x = Tensor.RandomNormal([100_000], 1, 2, new RandomGenerator(3), DType.Float64);
        Assert.That(x.DType, Is.EqualTo(DType.Float64));
        Assert.That(x.Mean().Item<double>(), Is.EqualTo(1).Within(0.03));
        Assert.That((x - 1).Square().Mean().Sqrt().Item<double>(), Is.EqualTo(2).Within(0.03));
    }

    [Test]
    public void TruncatedNormal_NeverBeyondTwoStd()
    {
        var x = Tensor.TruncatedNormal([50_000], 0, 0.5, new RandomGenerator(4)).ToArray<float>();
        Assert.That(x.Max(v => Math.Abs(v)), Is.LessThanOrEqualTo(1.0f));
    }

    [Test]
    public void Bernoulli_RateAndSameStreamAsFillBernoulli()
    {
        var mask = Tensor.Bernoulli([20_000], 0.8, new RandomGenerator(9)).ToArray<float>();
        var expected = new float[20_000];
        new RandomGenerator(9).FillBernoulli(expected, 0.8);
        Assert.That(mask, Is.EqualTo(expected));
        Assert.That(mask.Average(), Is.EqualTo(0.8).Within(0.01));
    }

    [Test]
    public void RandomUniform_IntegerDType_ThrowsNamingDType()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.RandomUniform([2], dtype: DType.Int32));
        Assert.That(ex!.Message, Does.Contain("int32"));
    }
}
