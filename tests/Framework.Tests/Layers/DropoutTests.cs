using Framework.Layers;
using Framework.Tensors;
using Framework.Tests.Helpers;

namespace Framework.Tests.Layers;

[TestFixtureSource(typeof(TestDevices), nameof(TestDevices.Both))]
public class DropoutTests(Device device) : OnDevice(device)
{
    private static float[] Mask(Dropout dropout, int n = 1000) => dropout.Apply(Tensor.Ones([n]), training: true).ToArray<float>();

    [TestCase(1.0)]
    [TestCase(1.5)]
    [TestCase(-0.1)]
    [TestCase(double.NaN)]
    public void Constructor_RateOutsideZeroToOne_ThrowsArgumentOutOfRangeWithValue(double rate)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Dropout(rate, name: "drop"));
        Assert.That(ex!.ParamName, Is.EqualTo("rate"));
        Assert.That(ex.Message, Does.Contain($"received rate={rate}").And.Contain("Dropout 'drop'").And.Contain("[0, 1)"));
    }

    [Test]
    public void Call_TrainingFalse_ReturnsInputUnchanged()
    {
        var x = LayerTester.Random(1, [8, 4]);
        Assert.That(new Dropout(0.5, seed: 1).Apply(x, training: false), Is.SameAs(x));
    }

    [Test]
    public void Call_RateZero_ReturnsInputUnchangedInTraining()
    {
        var x = LayerTester.Random(1, [8, 4]);
        Assert.That(new Dropout(0, seed: 1).Apply(x, training: true), Is.SameAs(x));
    }

    [TestCase(0.3)]
    [TestCase(0.5)]
    [TestCase(0.9)]
    public void Call_Training_DropsAboutRateAndScalesKeptByInverseKeep(double rate)
    {
        var mask = Mask(new Dropout(rate, seed: 4), 20000);
        double dropped = mask.Count(v => v == 0) / (double)mask.Length;
        Assert.That(dropped, Is.EqualTo(rate).Within(0.015));
        Assert.That(mask.Where(v => v != 0), Is.All.EqualTo((float)(1 / (1 - rate))).Within(1e-6));
        Assert.That(mask.Average(), Is.EqualTo(1).Within(0.05), "inverted dropout keeps the expected value");
    }

    [Test]
    public void Call_SameSeed_SameMasks_OtherSeed_Different()
    {
        var a = new Dropout(0.5, seed: 7);
        var b = new Dropout(0.5, seed: 7);
        var first = Mask(a);
        Assert.That(Mask(b), Is.EqualTo(first));
        Assert.That(Mask(a), Is.Not.EqualTo(first), "each call draws a new mask");
        Assert.That(Mask(new Dropout(0.5, seed: 8)), Is.Not.EqualTo(first));
    }

    [Test]
    public void Call_Unseeded_DeterministicGivenGlobalSeed()
    {
        RandomGenerator.SetGlobalSeed(21);
        var first = Mask(new Dropout(0.5));
        var second = Mask(new Dropout(0.5));
        RandomGenerator.SetGlobalSeed(21);
        Assert.That(Mask(new Dropout(0.5)), Is.EqualTo(first));
        Assert.That(second, Is.Not.EqualTo(first), "two unseeded layers get different streams");
    }

    [Test]
    public void RngState_Restored_ReplaysTheSameMasks()
    {
        var dropout = new Dropout(0.5, seed: 3);
        Mask(dropout);
        var saved = dropout.RngState;
        var expected = new[] { Mask(dropout), Mask(dropout) };
        dropout.RngState = saved;
        Assert.That(new[] { Mask(dropout), Mask(dropout) }, Is.EqualTo(expected));
    }

    [Test]
    public void RngStateVariable_AssignedLikeACheckpointRestore_ReplaysMasks()
    {
        var dropout = new Dropout(0.4, seed: 5);
        var saved = dropout.RngStateVariable.Value.Clone();
        var expected = Mask(dropout);
        var restored = new Dropout(0.4, seed: 99);
        restored.RngStateVariable.Assign(saved);
        Assert.That(Mask(restored), Is.EqualTo(expected));
    }

    [Test]
    public void Backward_Training_GradientFlowsOnlyThroughKeptUnits()
    {
        var x = Tensor.Ones([50, 20]).RequireGrad();
        var y = new Dropout(0.5, seed: 2).Apply(x, training: true);
        (y * 3.0).Sum().Backward();
        var output = y.ToArray<float>();
        var grad = x.Grad!.ToArray<float>();
        Assert.That(output.Count(v => v == 0), Is.GreaterThan(0));
        for (int i = 0; i < output.Length; i++) Assert.That(grad[i], Is.EqualTo(output[i] * 3).Within(1e-6), $"element {i}");
    }

    [Test]
    public void Conformance_NoWeights_TracksNothingLikeTfKeras()
    {
        var layer = LayerTester.Run(() => new Dropout(0.5, seed: 1), new([4, 5], [4, 5], 0, 0, []));
        Assert.That(layer.Weights, Is.Empty, "the generator state is not a weight, so Sequential does not count it");
        var state = ((Dropout)layer).RngStateVariable;
        Assert.That((state.DType, state.Shape, state.Trainable), Is.EqualTo((DType.Int64, new Shape(3), false)));
    }
}
