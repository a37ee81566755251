using Framework.Layers;
using Framework.Tensors;
using Framework.Tests.Helpers;
using static Framework.Tests.Layers.ConvolutionReferenceData;

namespace Framework.Tests.Layers;

/// <summary>The convolution, pooling and 4-D BatchNormalization layers against PyTorch (tests/tools/conv_reference.py).</summary>
[TestFixtureSource(typeof(TestDevices), nameof(TestDevices.Both))]
public class ConvolutionLayerReferenceTests(Device device) : OnDevice(device)
{
    /// <summary>The script's input formula: ((37 i + 11 seed) mod 101 − 50) / 50 · scale, rounded to float32.</summary>
    internal static Tensor Value(Shape shape, int seed, double scale = 1.0)
    {
        var values = new float[shape.Size];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(((i * 37L + 11 * seed) % 101 - 50) / 50.0 * scale);
        return Tensor.FromSpan<float>(values, shape);
    }

    public record Case(string Name, Func<Layer> Make, Shape Input, Shape[] Weights)
    {
        public override string ToString() => Name;
    }

    public static IEnumerable<Case> Cases()
    {
        yield return new("conv2d_valid", () => new Conv2D(4, 3), [2, 5, 5, 3], [[3, 3, 3, 4], [4]]);
        yield return new("conv2d_same_strided", () => new Conv2D(3, (4, 3), strides: 2, padding: "same"), [2, 5, 6, 2], [[4, 3, 2, 3], [3]]);
        yield return new("conv2d_same_dilated", () => new Conv2D(2, (2, 3), padding: "same", dilationRate: 2), [1, 6, 7, 2], [[2, 3, 2, 2], [2]]);
        yield return new("conv2d_relu", () => new Conv2D(3, 2, activation: "relu"), [2, 4, 4, 2], [[2, 2, 2, 3], [3]]);
        yield return new("conv1d_same_strided", () => new Conv1D(3, 3, strides: 2, padding: "same"), [2, 7, 2], [[3, 2, 3], [3]]);
        yield return new("conv1d_causal_dilated", () => new Conv1D(2, 2, padding: "causal", dilationRate: 2), [2, 6, 3], [[2, 3, 2], [2]]);
        yield return new("max_pooling2d_valid", () => new MaxPooling2D(), [2, 4, 5, 3], []);
        yield return new("max_pooling2d_same", () => new MaxPooling2D(3, strides: 2, padding: "same"), [2, 5, 5, 2], []);
        yield return new("average_pooling2d_same", () => new AveragePooling2D(2, padding: "same"), [2, 5, 5, 2], []);
        yield return new("average_pooling2d_valid_strided", () => new AveragePooling2D((3, 2), strides: (1, 2)), [1, 5, 6, 2], []);
        yield return new("max_pooling1d_same", () => new MaxPooling1D(2, padding: "same"), [2, 5, 3], []);
        yield return new("global_average_pooling2d", () => new GlobalAveragePooling2D(), [2, 3, 4, 3], []);
        yield return new("global_max_pooling2d", () => new GlobalMaxPooling2D(), [2, 3, 4, 3], []);
    }

    private static readonly double[] s_scales = [0.5, 0.2];

    [TestCaseSource(nameof(Cases))]
    public void OutputAndGradients_MatchPyTorch(Case c)
    {
        var layer = c.Make();
        var x = Value(c.Input, 1).RequireGrad();
        layer.EnsureBuilt(c.Input);
        var weights = layer.TrainableWeights;
        Assert.That(weights.Select(w => w.Shape), Is.EqualTo(c.Weights), "weight shapes");
        for (int i = 0; i < weights.Count; i++) weights[i].Assign(Value(c.Weights[i], 2 + i, s_scales[i]));
        var y = layer.Apply(x, training: true);
        (y.Cast(DType.Float64) * Value(y.Shape, 9).Cast(DType.Float64)).Sum().Backward();
        TensorAssert.AllClose(Values[$"{c.Name}.y"], y, 1e-5, 1e-5);
        TensorAssert.AllClose(Values[$"{c.Name}.dx"], x.Grad!, 1e-5, 1e-5);
        for (int i = 0; i < weights.Count; i++) TensorAssert.AllClose(Values[$"{c.Name}.d{i}"], weights[i].Grad!, 1e-5, 1e-5);
    }

    [Test]
    public void BatchNormalization4D_TrainingStep_MatchesPyTorchAndKerasMovingStatistics()
    {
        var bn = new BatchNormalization();
        var x = Value([4, 3, 3, 2], 1).RequireGrad();
        bn.EnsureBuilt(x.Shape);
        bn.TrainableWeights[0].Assign(Value([2], 2, 1.0));
        bn.TrainableWeights[1].Assign(Value([2], 3, 0.5));
        var y = bn.Apply(x, training: true);
        (y.Cast(DType.Float64) * Value(y.Shape, 9).Cast(DType.Float64)).Sum().Backward();
        TensorAssert.AllClose(Values["batch_normalization_4d.y"], y, 1e-5, 1e-5);
        TensorAssert.AllClose(Values["batch_normalization_4d.dx"], x.Grad!, 1e-4, 1e-4);
        TensorAssert.AllClose(Values["batch_normalization_4d.d0"], bn.TrainableWeights[0].Grad!, 1e-5, 1e-5);
        TensorAssert.AllClose(Values["batch_normalization_4d.d1"], bn.TrainableWeights[1].Grad!, 1e-5, 1e-5);
        TensorAssert.AllClose(Values["batch_normalization_4d.moving_mean"], bn.MovingMean.Value, 1e-6, 1e-6);
        TensorAssert.AllClose(Values["batch_normalization_4d.moving_variance"], bn.MovingVariance.Value, 1e-6, 1e-6);
        Assert.That(bn.MovingMean.Shape, Is.EqualTo(new Shape(2)), "one statistic per channel of the NHWC input");
    }
}
