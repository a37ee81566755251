using Framework.Tensors;
using Framework.Training;
using Framework.Tests.Helpers;

namespace Framework.Tests.Training;

/// <summary>Loss values against tests/tools/loss_reference.py (Keras formulas in float64), and gradient checks.</summary>
[TestFixtureSource(typeof(TestDevices), nameof(TestDevices.Both))]
public class LossTests(Device device) : OnDevice(device)
{
    private static Tensor Logits => Tensor.FromArray(new double[] { 2.0, -1.0, 0.5, 0.1, 0.2, 3.0 }, 2, 3);
    private static Tensor Labels => Tensor.FromArray(new long[] { 0, 2 });

    private static double Value(Loss loss, Tensor t, Tensor p) => loss.Compute(t, p).Item<double>();

    [Test]
    public void SparseCategoricalCrossentropy_FromLogits_MatchesReference() =>
        Assert.That(Value(new SparseCategoricalCrossentropy(fromLogits: true), Labels, Logits), Is.EqualTo(0.17545638058931123).Within(1e-12));

    [Test]
    public void SparseCategoricalCrossentropy_Probabilities_ClipsZeroLikeKeras()
    {
        var probs = Tensor.FromArray(new double[] { 0.7, 0.2, 0.1, 0.0, 0.25, 0.75 }, 2, 3);
        Assert.That(Value(new SparseCategoricalCrossentropy(), Labels, probs), Is.EqualTo(0.3221785081952566).Within(1e-9));
    }

    [Test]
    public void SparseCategoricalCrossentropy_Int32LabelsWithTrailingOne_Accepted()
    {
        var labels = Tensor.FromArray(new int[] { 0, 2 }, 2, 1);
        Assert.That(Value(new SparseCategoricalCrossentropy(fromLogits: true), labels, Logits), Is.EqualTo(0.17545638058931123).Within(1e-12));
    }

    [Test]
    public void SparseCategoricalCrossentropy_WrongLabelShape_ThrowsNamingBothShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => new SparseCategoricalCrossentropy().Compute(Tensor.Zeros([3], DType.Int64), Logits));
        Assert.That(ex!.Message, Does.Contain("(3,)").And.Contain("(2, 3)"));
    }

    [Test]
    public void CategoricalCrossentropy_FromLogits_WithAndWithoutSmoothing()
    {
        var onehot = Tensor.FromArray(new double[] { 0, 1, 0, 0, 0, 1 }, 2, 3);
        Assert.That(Value(new CategoricalCrossentropy(fromLogits: true), onehot, Logits), Is.EqualTo(1.6754563805893112).Within(1e-12));
        Assert.That(Value(new CategoricalCrossentropy(fromLogits: true, labelSmoothing: 0.1), onehot, Logits), Is.EqualTo(1.6954563805893113).Within(1e-12));
    }

    [Test]
    public void BinaryCrossentropy_ProbabilitiesAndLogits_MatchReference()
    {
        var t = Tensor.FromArray(new double[] { 1, 0, 0, 1 }, 2, 2);
        Assert.That(Value(new BinaryCrossentropy(), t, Tensor.FromArray(new double[] { 0.9, 0.2, 0.4, 1.0 }, 2, 2)), Is.EqualTo(0.20983244768450793).Within(1e-9));
        Assert.That(Value(new BinaryCrossentropy(fromLogits: true), t, Tensor.FromArray(new double[] { 2, -1, 0.5, -3 }, 2, 2)), Is.EqualTo(1.115713508578761).Within(1e-12));
    }

    [Test]
    public void RegressionLosses_MatchReference()
    {
        var t = Tensor.FromArray(new double[] { 1, 2, 3, -1 }, 2, 2);
        var p = Tensor.FromArray(new double[] { 1.5, 0, 3, 2 }, 2, 2);
        Assert.That(Value(new MeanSquaredError(), t, p), Is.EqualTo(3.3125).Within(1e-12));
        Assert.That(Value(new MeanAbsoluteError(), t, p), Is.EqualTo(1.375).Within(1e-12));
        Assert.That(Value(new Huber(), t, p), Is.EqualTo(1.03125).Within(1e-12));
    }

    [Test]
    public void Losses_Gradients_MatchFiniteDifferences()
    {
        var onehot = Tensor.FromArray(new double[] { 0, 1, 0, 0, 0, 1 }, 2, 3);
        var bt = Tensor.FromArray(new double[] { 1, 0, 0, 1, 1, 0 }, 2, 3);
        GradientChecker.Check(x => new SparseCategoricalCrossentropy(true).Compute(Labels, x[0]), [Logits]);
        GradientChecker.Check(x => new CategoricalCrossentropy(true, 0.1).Compute(onehot, x[0]), [Logits]);
        GradientChecker.Check(x => new BinaryCrossentropy(true).Compute(bt, x[0]), [Logits]);
        GradientChecker.Check(x => new BinaryCrossentropy().Compute(bt, x[0].Sigmoid()), [Logits]);
        GradientChecker.Check(x => new Huber(0.5).Compute(onehot, x[0]), [Logits]);
        GradientChecker.Check(x => new MeanSquaredError().Compute(onehot, x[0]), [Logits]);
    }

    [Test]
    public void Get_UnknownName_ListsKnownNames()
    {
        Assert.That(Losses.Get("mse"), Is.TypeOf<MeanSquaredError>());
        var ex = Assert.Throws<ArgumentException>(() => Losses.Get("hinge2"));
        Assert.That(ex!.Message, Does.Contain("hinge2").And.Contain("sparse_categorical_crossentropy"));
    }
}
