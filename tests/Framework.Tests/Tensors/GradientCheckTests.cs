using Framework.Tensors;
using Framework.Tests.Helpers;
using static Framework.Tests.Helpers.GradientChecker;

namespace Framework.Tests.Tensors;

/// <summary>Every differentiable op's backward pass against central finite differences in float64.</summary>
[TestFixtureSource(typeof(TestDevices), nameof(TestDevices.Both))]
public class GradientCheckTests(Device device) : OnDevice(device)
{
    public record Case(string Name, Func<Tensor[], Tensor> F, Func<Tensor[]> Inputs)
    {
        public override string ToString() => Name;
    }

    private static Tensor R(int seed, params int[] shape) => Random(seed, -2, 2, shape);

    private static Tensor Positive(int seed, params int[] shape) => Random(seed, 0.5, 2, shape);

    /// <summary>Values kept away from 0 so that kinks (relu, abs, max ties) are never within eps.</summary>
    private static Tensor AwayFromZero(int seed, params int[] shape)
    {
        var x = R(seed, shape);
        return x + x.Sign() * 0.1;
    }

    public static IEnumerable<Case> Cases()
    {
        yield return new("Add_broadcast_rows", x => x[0] + x[1], () => [R(1, 3, 4), R(2, 4)]);
        yield return new("Add_broadcast_both", x => x[0] + x[1], () => [R(1, 3, 1), R(2, 1, 4)]);
        yield return new("Add_scalar_tensor", x => x[0] + x[1], () => [R(1, 2, 3), R(2)]);
        yield return new("Subtract_broadcast", x => x[0] - x[1], () => [R(1, 2, 3, 4), R(2, 3, 1)]);
        yield return new("Multiply_broadcast", x => x[0] * x[1], () => [R(1, 2, 3), R(2, 2, 1)]);
        yield return new("Divide_broadcast", x => x[0] / x[1], () => [R(1, 2, 3), Positive(2, 3)]);
        yield return new("Pow_both", x => Tensor.Pow(x[0], x[1]), () => [Positive(1, 2, 3), R(2, 2, 3)]);
        yield return new("Pow_scalar_exponent", x => x[0].Pow(3), () => [R(1, 5)]);
        yield return new("Maximum", x => Tensor.Maximum(x[0], x[1]), () => [R(1, 3, 4), R(2, 3, 4)]);
        yield return new("Minimum_broadcast", x => Tensor.Minimum(x[0], x[1]), () => [R(1, 3, 4), R(2, 4)]);
        yield return new("Where", x => Tensor.Where(x[0].Greater(0), x[0] * 2, x[1]), () => [AwayFromZero(1, 3, 4), R(2, 4)]);
        yield return new("Clip", x => x[0].Clip(-1, 1), () => [Random(3, -1.9, 1.9, 4, 5) * 1.0]);
        yield return new("Neg", x => -x[0], () => [R(1, 4)]);
        yield return new("Abs", x => x[0].Abs(), () => [AwayFromZero(1, 6)]);
        yield return new("Exp", x => x[0].Exp(), () => [R(1, 2, 3)]);
        yield return new("Log", x => x[0].Log(), () => [Positive(1, 2, 3)]);
        yield return new("Sqrt", x => x[0].Sqrt(), () => [Positive(1, 2, 3)]);
        yield return new("Square", x => x[0].Square(), () => [R(1, 2, 3)]);
        yield return new("Reciprocal", x => x[0].Reciprocal(), () => [Positive(1, 2, 3)]);
        yield return new("Relu", x => x[0].Relu(), () => [AwayFromZero(1, 3, 4)]);
        yield return new("Sigmoid", x => x[0].Sigmoid(), () => [R(1, 3, 4)]);
        yield return new("Tanh", x => x[0].Tanh(), () => [R(1, 3, 4)]);
        yield return new("Softmax_last", x => x[0].Softmax(), () => [R(1, 3, 5)]);
        yield return new("Softmax_axis0", x => x[0].Softmax(0), () => [R(1, 3, 5)]);
        yield return new("Softmax_middle", x => x[0].Softmax(1), () => [R(1, 2, 3, 4)]);
        yield return new("LogSoftmax_last", x => x[0].LogSoftmax(), () => [R(1, 3, 5)]);
        yield return new("LogSoftmax_axis0", x => x[0].LogSoftmax(0), () => [R(1, 4, 2)]);
        yield return new("Sum_all", x => x[0].Sum(), () => [R(1, 3, 4)]);
        yield return new("Sum_axis_keepdims", x => x[0].Sum(1, keepDims: true), () => [R(1, 2, 3, 4)]);
        yield return new("Sum_two_axes", x => x[0].Sum([0, 2]), () => [R(1, 2, 3, 4)]);
        yield return new("Mean_axis", x => x[0].Mean(-1), () => [R(1, 3, 4)]);
        yield return new("Mean_all", x => x[0].Mean(), () => [R(1, 3, 4)]);
        yield return new("Max_axis", x => x[0].Max(1), () => [R(1, 3, 4)]);
        yield return new("Max_all", x => x[0].Max(), () => [R(1, 3, 4)]);
        yield return new("Min_axis0_keepdims", x => x[0].Min(0, keepDims: true), () => [R(1, 3, 4)]);
        yield return new("MatMul_2d", x => x[0].MatMul(x[1]), () => [R(1, 3, 4), R(2, 4, 5)]);
        yield return new("MatMul_batched", x => x[0].MatMul(x[1]), () => [R(1, 2, 3, 4), R(2, 2, 4, 5)]);
        yield return new("MatMul_batch_broadcast", x => x[0].MatMul(x[1]), () => [R(1, 2, 3, 4), R(2, 4, 5)]);
        yield return new("MatMul_vector_matrix", x => x[0].MatMul(x[1]), () => [R(1, 4), R(2, 4, 3)]);
        yield return new("MatMul_matrix_vector", x => x[0].MatMul(x[1]), () => [R(1, 3, 4), R(2, 4)]);
        yield return new("MatMul_of_transpose", x => x[0].Transpose().MatMul(x[1]), () => [R(1, 4, 3), R(2, 4, 5)]);
        yield return new("Transpose_2d", x => x[0].Transpose(), () => [R(1, 3, 4)]);
        yield return new("Transpose_3d_perm", x => x[0].Transpose(2, 0, 1), () => [R(1, 2, 3, 4)]);
        yield return new("Reshape", x => x[0].Reshape(4, -1) * x[1], () => [R(1, 2, 6), R(2, 4, 3)]);
        yield return new("Slice_first_axis", x => x[0].Slice(1, 2), () => [R(1, 4, 3)]);
        yield return new("Slice_other_axis", x => x[0].Slice(-1, 1, 2), () => [R(1, 2, 3, 4)]);
        yield return new("Gather_repeated", x => x[0].Gather(Tensor.FromArray(new long[] { 2, 0, 2, 1 })), () => [R(1, 3, 2)]);
        yield return new("BroadcastTo", x => x[0].BroadcastTo([2, 3, 4]), () => [R(1, 3, 1)]);
        yield return new("Concat_axis1", x => Tensor.Concat([x[0], x[1]], 1), () => [R(1, 2, 3), R(2, 2, 2)]);
        yield return new("ExpandDims_Squeeze", x => x[0].ExpandDims(1).Squeeze(1) * x[0], () => [R(1, 3, 2)]);
        yield return new("SparseSoftmaxCrossEntropy", x => Tensor.SparseSoftmaxCrossEntropyWithLogits(Tensor.FromArray(new long[] { 2, 0, 1 }), x[0]), () => [R(1, 3, 4)]);
        yield return new("SparseSoftmaxCrossEntropy_batched_int32", x => Tensor.SparseSoftmaxCrossEntropyWithLogits(Tensor.FromArray(new int[] { 1, 0, 3, 3 }, 2, 2), x[0]), () => [R(1, 2, 2, 4)]);
        yield return new("Reused_input_accumulates", x => x[0] * x[0] + x[0].Exp() * x[1], () => [R(1, 3), R(2, 3)]);
        yield return new("Dense_layer_chain", x => (x[0].MatMul(x[1]) + x[2]).Relu().MatMul(x[3]).LogSoftmax(),
            () => [R(1, 4, 5), R(2, 5, 6), R(3, 6), R(4, 6, 3)]);
    }

    [TestCaseSource(nameof(Cases))]
    public void Backward_MatchesFiniteDifferences(Case c) => Check(c.F, c.Inputs());

    [Test]
    public void Backward_GradientCheckerCanFail()
    {
        // A deliberately wrong "gradient": x.Detach() hides the dependence, so the checker must report a mismatch.
        Assert.Throws<AssertionException>(() => Check(x => x[0] * x[0].Detach(), [R(1, 3)]));
    }
}
