using Framework.Tensors;
using Framework.Tests.Helpers;
using static Framework.Tests.Helpers.GradientChecker;

namespace Framework.Tests.Tensors;

/// <summary>The backward passes of the convolution and pooling ops against central finite differences in float64.</summary>
[TestFixtureSource(typeof(TestDevices), nameof(TestDevices.Both))]
public class ConvolutionGradientCheckTests(Device device) : OnDevice(device)
{
    public record Case(string Name, Func<Tensor[], Tensor> F, Func<Tensor[]> Inputs)
    {
        public override string ToString() => Name;
    }

    private static Tensor R(int seed, params int[] shape) => Random(seed, -2, 2, shape);

    public static IEnumerable<Case> Cases()
    {
        yield return new("Conv2D_valid", x => x[0].Conv2D(x[1]), () => [R(1, 2, 5, 4, 3), R(2, 3, 2, 3, 4)]);
        yield return new("Conv2D_same_odd_kernel", x => x[0].Conv2D(x[1], padding: Padding.Same), () => [R(1, 2, 4, 5, 2), R(2, 3, 3, 2, 3)]);
        // A 4×2 kernel at stride 2 over 5×5: TensorFlow pads 1 above and 2 below (asymmetric), none left, 1 right.
        yield return new("Conv2D_same_asymmetric_strided", x => x[0].Conv2D(x[1], strides: 2, padding: Padding.Same), () => [R(1, 2, 5, 5, 2), R(2, 4, 2, 2, 3)]);
        yield return new("Conv2D_strides_2_1", x => x[0].Conv2D(x[1], strides: (2, 1)), () => [R(1, 1, 7, 5, 2), R(2, 3, 2, 2, 2)]);
        yield return new("Conv2D_dilated_same", x => x[0].Conv2D(x[1], padding: Padding.Same, dilation: (2, 3)), () => [R(1, 1, 6, 7, 2), R(2, 2, 3, 2, 2)]);
        yield return new("Conv2D_pointwise", x => x[0].Conv2D(x[1]), () => [R(1, 2, 3, 3, 4), R(2, 1, 1, 4, 3)]);
        yield return new("Conv2D_pointwise_strided", x => x[0].Conv2D(x[1], strides: 2), () => [R(1, 2, 5, 4, 3), R(2, 1, 1, 3, 2)]);
        yield return new("Conv2D_with_bias_relu", x => (x[0].Conv2D(x[1]) + x[2]).Tanh(), () => [R(1, 2, 4, 4, 2), R(2, 2, 2, 2, 3), R(3, 3)]);
        yield return new("Conv1D_valid", x => x[0].Conv1D(x[1]), () => [R(1, 2, 7, 3), R(2, 3, 3, 2)]);
        yield return new("Conv1D_same_strided_dilated", x => x[0].Conv1D(x[1], stride: 2, padding: Padding.Same, dilation: 2), () => [R(1, 2, 9, 2), R(2, 3, 2, 3)]);
        yield return new("Conv1D_causal", x => x[0].Conv1D(x[1], padding: Padding.Causal, dilation: 2), () => [R(1, 2, 6, 2), R(2, 2, 2, 2)]);
        // Distinct values (a permutation) keep every window's maximum unique and away from ties within eps.
        yield return new("MaxPool2D_valid", x => x[0].MaxPool2D(2), () => [Distinct(1, 2, 4, 5, 3)]);
        yield return new("MaxPool2D_same_overlapping", x => x[0].MaxPool2D(3, strides: 2, padding: Padding.Same), () => [Distinct(2, 2, 5, 4, 2)]);
        yield return new("AvgPool2D_valid", x => x[0].AvgPool2D((2, 3)), () => [R(1, 2, 4, 6, 2)]);
        yield return new("AvgPool2D_same_partial_windows", x => x[0].AvgPool2D(3, strides: (2, 1), padding: Padding.Same), () => [R(1, 2, 5, 4, 2)]);
        yield return new("MaxPool1D_same", x => x[0].MaxPool1D(2, padding: Padding.Same), () => [Distinct(3, 2, 5, 3)]);
        yield return new("AvgPool1D_strided", x => x[0].AvgPool1D(3, stride: 1), () => [R(1, 2, 6, 2)]);
        yield return new("Cnn_chain", x => x[0].Conv2D(x[1]).Relu().MaxPool2D(2).Reshape(2, -1).MatMul(x[2]),
            () => [R(1, 2, 6, 6, 1), R(2, 3, 3, 1, 2), R(3, 8, 3)]);
    }

    [TestCaseSource(nameof(Cases))]
    public void Backward_MatchesFiniteDifferences(Case c) => Check(c.F, c.Inputs());

    /// <summary>A shuffled 0.05-spaced grid: all values distinct by far more than the finite-difference step.</summary>
    private static Tensor Distinct(int seed, params int[] shape)
    {
        int size = shape.Aggregate(1, (a, b) => a * b);
        var rng = new Random(seed);
        var values = Enumerable.Range(0, size).Select(i => (i - size / 2) * 0.05).OrderBy(_ => rng.Next()).ToArray();
        return Tensor.FromSpan<double>(values, new Shape(shape));
    }
}
