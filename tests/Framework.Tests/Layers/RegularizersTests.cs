using System.Text.Json;
using Framework.Layers;
using Framework.Tensors;

namespace Framework.Tests.Layers;

public class RegularizersTests
{
    private static Tensor Weight => Tensor.FromArray(new float[] { 1, -2, 3, -0.5f }, 2, 2);

    [Test]
    public void Penalty_L2_IsFactorTimesSumOfSquares() =>
        Assert.That(new L2(0.01).Penalty(Weight).Item<float>(), Is.EqualTo(0.01 * 14.25).Within(1e-6));

    [Test]
    public void Penalty_L1_IsFactorTimesSumOfAbsoluteValues() =>
        Assert.That(new L1(0.1).Penalty(Weight).Item<float>(), Is.EqualTo(0.1 * 6.5).Within(1e-6));

    [Test]
    public void Penalty_L1L2_AddsBothTerms() =>
        Assert.That(new L1L2(0.1, 0.01).Penalty(Weight).Item<float>(), Is.EqualTo(0.65 + 0.1425).Within(1e-6));

    [Test]
    public void Penalty_L1L2Defaults_IsZero() =>
        Assert.That(new L1L2().Penalty(Weight).Item<float>(), Is.EqualTo(0f));

    [Test]
    public void Penalty_L2_GradientIsTwiceFactorTimesWeight()
    {
        var w = Weight.Clone().Detach().RequireGrad();
        new L2(0.5).Penalty(w).Backward();
        Assert.That(w.Grad!.ToArray<float>(), Is.EqualTo(new float[] { 1, -2, 3, -0.5f }));
    }

    [Test]
    public void Constructor_NegativeFactor_ThrowsNamingArgumentAndValue()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new L2(-0.1));
        Assert.That(ex!.ParamName, Is.EqualTo("l2"));
        Assert.That(ex.Message, Does.Contain("l2=-0.1"));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new L1(double.NaN));
    }

    [TestCaseSource(nameof(All))]
    public void FromConfig_JsonRoundTrip_SameTypeAndConfig(Regularizer regularizer)
    {
        var json = JsonSerializer.Serialize(regularizer.GetConfig());
        var copy = Regularizers.FromConfig(JsonSerializer.Deserialize<JsonElement>(json))!;
        Assert.That(copy.GetType(), Is.EqualTo(regularizer.GetType()));
        Assert.That(JsonSerializer.Serialize(copy.GetConfig()), Is.EqualTo(json));
    }

    public static IEnumerable<Regularizer> All() => [new L1(0.2), new L2(0.03), new L1L2(0.1, 0.2)];

    [Test]
    public void GetConfig_L2_IsKerasForm() =>
        Assert.That(JsonSerializer.Serialize(new L2().GetConfig()), Is.EqualTo("{\"class_name\":\"L2\",\"config\":{\"l2\":0.01}}"));

    [Test]
    public void Get_KerasNames_ReturnDefaults()
    {
        Assert.That(((L2)Regularizers.Get("l2")).L2Factor, Is.EqualTo(0.01));
        Assert.That(((L1)Regularizers.Get("l1")).L1Factor, Is.EqualTo(0.01));
        Assert.That(Regularizers.Get("l1_l2"), Is.TypeOf<L1L2>());
        Assert.That(Regularizers.FromConfig(null), Is.Null);
        Assert.That(Assert.Throws<ArgumentException>(() => Regularizers.Get("l3"))!.Message, Does.Contain("'l3'").And.Contain("l1_l2"));
    }
}
