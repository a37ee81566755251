using Framework.Layers;
using Framework.Tensors;
using Framework.Tests.Helpers;

namespace Framework.Tests.Layers;

[TestFixtureSource(typeof(TestDevices), nameof(TestDevices.Both))]
public class BatchNormalizationTests(Device device) : OnDevice(device)
{
    private static Tensor Matrix(float[,] values) => Tensor.FromArray(values);

    [Test]
    public void Apply_Training_NormalizesEachFeatureOverTheBatch()
    {
        var x = LayerTester.Random(2, [64, 3]) * Tensor.FromArray(new float[] { 1, 5, 0.2f }, 3) + Tensor.FromArray(new float[] { 10, -3, 0 }, 3);
        var y = new BatchNormalization().Apply(x, training: true);
        var mean = y.Mean(0).ToArray<float>();
        var variance = y.Square().Mean(0).ToArray<float>();
        var inputVariance = (x - x.Mean(0, keepDims: true)).Square().Mean(0).ToArray<float>();
        for (int f = 0; f < 3; f++)
        {
            Assert.That(mean[f], Is.EqualTo(0).Within(1e-5), $"mean of feature {f}");
            Assert.That(variance[f], Is.EqualTo(inputVariance[f] / (inputVariance[f] + 1e-3)).Within(1e-4), $"variance of feature {f}");
        }
    }

    [Test]
    public void Apply_TrainingTwice_MovingStatisticsFollowKerasFormula()
    {
        var bn = new BatchNormalization(momentum: 0.9);
        var x = Matrix(new float[,] { { 1, 2 }, { 3, 6 } });
        bn.Apply(x, training: true);
        // Batch mean (2, 4), biased variance (1, 4): moving = moving·0.9 + batch·0.1 from (0, 0) and (1, 1).
        TensorAssert.AllClose([0.2, 0.4], bn.MovingMean.Value, 1e-6);
        TensorAssert.AllClose([1.0, 1.3], bn.MovingVariance.Value, 1e-6);
        bn.Apply(x, training: true);
        TensorAssert.AllClose([0.38, 0.76], bn.MovingMean.Value, 1e-6);
        TensorAssert.AllClose([1.0, 1.57], bn.MovingVariance.Value, 1e-6);
    }

    [Test]
    public void Apply_Inference_UsesMovingStatisticsGammaAndBeta()
    {
        var bn = new BatchNormalization(epsilon: 0.01);
        bn.EnsureBuilt([1, 2]);
        bn.MovingMean.Assign(Tensor.FromArray(new float[] { 1, -1 }, 2));
        bn.MovingVariance.Assign(Tensor.FromArray(new float[] { 3.99f, 0.24f }, 2));
        Weight(bn, "gamma").Assign(Tensor.FromArray(new float[] { 2, 0.5f }, 2));
        Weight(bn, "beta").Assign(Tensor.FromArray(new float[] { 0, 1 }, 2));
        var y = bn.Apply(Matrix(new float[,] { { 3, 0 }, { 1, -2 } }), training: false);
        // (x − mean) / √(var + ε) · γ + β with √4 = 2 and √0.25 = 0.5.
        TensorAssert.AllClose([2, 2, 0, 0], y, 1e-5);
        TensorAssert.AllClose([1, -1], bn.MovingMean.Value);
    }

    [Test]
    public void Apply_TrainingButFrozen_UsesMovingStatisticsAndDoesNotUpdate()
    {
        var bn = new BatchNormalization(momentum: 0.5) { Trainable = false };
        var x = Matrix(new float[,] { { 1, 2 }, { 3, 6 } });
        var y = bn.Apply(x, training: true);
        TensorAssert.AllClose(x / Math.Sqrt(1 + 1e-3), y, 1e-6);
        TensorAssert.AllClose([0, 0], bn.MovingMean.Value);
    }

    [Test]
    public void Conformance_Training_KerasWeightNamesAndGradients()
    {
        var bn = (BatchNormalization)LayerTester.Run(() => new BatchNormalization(),
            new([6, 4], [6, 4], 2, 2, ["gamma", "beta", "moving_mean", "moving_variance"]) { Training = true });
        Assert.That(bn.NonTrainableWeights, Is.EqualTo(new[] { bn.MovingMean, bn.MovingVariance }));
        Assert.That(bn.Weights.Select(w => w.Name), Is.EqualTo(new[] { "gamma", "beta", "moving_mean", "moving_variance" }.Select(n => $"{bn.Name}/{n}")));
    }

    [Test]
    public void Conformance_ChannelsFirstAxis_ParametersPerChannel()
    {
        var bn = (BatchNormalization)LayerTester.Run(() => new BatchNormalization(axis: 1, center: false),
            new([2, 3, 2, 2], [2, 3, 2, 2], 1, 2, ["gamma", "moving_mean", "moving_variance"]) { Training = true });
        Assert.That(bn.MovingMean.Shape, Is.EqualTo(new Shape(3)));
    }

    [Test]
    public void Build_AxisOutOfRange_ThrowsNamingLayerAndShape()
    {
        var ex = Assert.Throws<ArgumentException>(() => new BatchNormalization(axis: 2, name: "bn").Apply(Tensor.Zeros([4, 3])));
        Assert.That(ex!.Message, Does.Contain("BatchNormalization 'bn'").And.Contain("axis 2").And.Contain("(4, 3)"));
    }

    [Test]
    public void Constructor_InvalidMomentumOrEpsilon_ThrowsWithReceivedValue()
    {
        var momentum = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new BatchNormalization(momentum: 1.5));
        Assert.That((momentum!.ParamName, momentum.Message.Contains("momentum=1.5")), Is.EqualTo(("momentum", true)));
        var epsilon = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new BatchNormalization(epsilon: 0));
        Assert.That((epsilon!.ParamName, epsilon.Message.Contains("epsilon=0")), Is.EqualTo(("epsilon", true)));
    }

    [Test]
    public void MovingMean_BeforeBuild_ThrowsInvalidOperation() =>
        Assert.Throws<InvalidOperationException>(() => _ = new BatchNormalization().MovingMean);

    private static Variable Weight(Layer layer, string name) => (Variable)layer.Children.Single(c => c.Name == name).Target;
}
