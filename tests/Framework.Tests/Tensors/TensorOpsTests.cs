using Framework.Tensors;
using Framework.Tests.Helpers;

namespace Framework.Tests.Tensors;

[TestFixtureSource(typeof(TestDevices), nameof(TestDevices.Both))]
public class TensorOpsTests(Device device) : OnDevice(device)
{
    private static Tensor F(float[] values, params int[] shape) => Tensor.FromArray(values, shape);

    [Test]
    public void Add_RowBroadcast_AddsBiasToEveryRow()
    {
        var y = F([1, 2, 3, 4, 5, 6], 2, 3) + F([10, 20, 30], 3);
        TensorAssert.AllClose([11, 22, 33, 14, 25, 36], y);
    }

    [Test]
    public void Multiply_ColumnTimesRow_IsOuterProduct()
    {
        var y = F([1, 2], 2, 1) * F([3, 4, 5], 1, 3);
        Assert.That(y.Shape, Is.EqualTo(new Shape(2, 3)));
        TensorAssert.AllClose([3, 4, 5, 6, 8, 10], y);
    }

    [Test]
    public void Subtract_ScalarMinusTensor_BroadcastsScalar()
    {
        TensorAssert.AllClose([0, -1, -2], 1 - F([1, 2, 3]));
        TensorAssert.AllClose([0.5, 0.25], 1 / F([2, 4]));
    }

    [Test]
    public void Add_IncompatibleShapes_ThrowsNamingOpAndBothShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => _ = Tensor.Zeros([2, 3]) + Tensor.Zeros([4, 3]));
        Assert.That(ex!.Message, Does.Contain("Add").And.Contain("(2, 3)").And.Contain("(4, 3)"));
    }

    [Test]
    public void Add_DifferentDTypes_ThrowsNamingBothDTypes()
    {
        var ex = Assert.Throws<ArgumentException>(() => _ = Tensor.Zeros([2]) + Tensor.Zeros([2], DType.Float64));
        Assert.That(ex!.Message, Does.Contain("float32").And.Contain("float64"));
    }

    [Test]
    public void Integer_AddAndMaximum_Work_ExpThrowsClearly()
    {
        var a = Tensor.FromArray(new int[] { 1, -5, 3 });
        var b = Tensor.FromArray(new int[] { 2, 2, 2 });
        Assert.That((a + b).ToArray<int>(), Is.EqualTo(new[] { 3, -3, 5 }));
        Assert.That(Tensor.Maximum(a, b).ToArray<int>(), Is.EqualTo(new[] { 2, 2, 3 }));
        var ex = Assert.Throws<NotSupportedException>(() => a.Exp());
        Assert.That(ex!.Message, Does.Contain("int32"));
    }

    [Test]
    public void Softmax_HugeLogits_StaysFiniteAndSumsToOne()
    {
        var y = F([1000, 1001, 1002, -1000, 0, 1000], 2, 3).Softmax();
        var v = y.ToArray<float>();
        Assert.That(v.All(float.IsFinite), Is.True);
        Assert.That(v[0] + v[1] + v[2], Is.EqualTo(1f).Within(1e-6));
        Assert.That(v[2], Is.EqualTo(0.66524096f).Within(1e-6));
    }

    [Test]
    public void LogSoftmax_ExtremeLogits_NeverMinusInfinity()
    {
        var y = F([0, 200], 1, 2).LogSoftmax().ToArray<float>();
        Assert.That(y[0], Is.EqualTo(-200f).Within(1e-3));
        Assert.That(y[1], Is.EqualTo(0f).Within(1e-6));
    }

    [Test]
    public void Sigmoid_Tanh_Relu_KnownValues()
    {
        TensorAssert.AllClose([0.26894142, 0.5, 0.73105858], F([-1, 0, 1]).Sigmoid());
        TensorAssert.AllClose([-0.76159416, 0, 0.76159416], F([-1, 0, 1]).Tanh());
        TensorAssert.AllClose([0, 0, 2], F([-1, 0, 2]).Relu());
    }

    [Test]
    public void Reductions_AlongAxes_WithAndWithoutKeepDims()
    {
        var x = F([1, 2, 3, 4, 5, 6], 2, 3);
        TensorAssert.AllClose([5, 7, 9], x.Sum(0));
        Assert.That(x.Sum(1, keepDims: true).Shape, Is.EqualTo(new Shape(2, 1)));
        TensorAssert.AllClose([2, 5], x.Mean(1));
        TensorAssert.AllClose([3, 6], x.Max(-1));
        TensorAssert.AllClose([1, 2, 3], x.Min(0));
        Assert.That(x.Sum().Item<float>(), Is.EqualTo(21f));
        Assert.That(x.Sum([0, 1]).Shape, Is.EqualTo(Shape.Scalar));
    }

    [Test]
    public void ArgMax_Ties_ReturnsFirstIndexAsInt64()
    {
        var idx = F([1, 3, 3, 0, 0, -1], 2, 3).ArgMax();
        Assert.That(idx.DType, Is.EqualTo(DType.Int64));
        Assert.That(idx.ToArray<long>(), Is.EqualTo(new long[] { 1, 0 }));
        Assert.That(F([1, 3, 3, 0, 0, -1], 2, 3).ArgMin(0).ToArray<long>(), Is.EqualTo(new long[] { 1, 1, 1 }));
    }

    [Test]
    public void Max_EmptyAxis_ThrowsNamingShape()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Tensor.Zeros([2, 0]).Max(1));
        Assert.That(ex!.Message, Does.Contain("(2, 0)"));
    }

    [Test]
    public void MatMul_KnownValues_AndBatchBroadcast()
    {
        var a = F([1, 2, 3, 4, 5, 6], 2, 3);
        var b = F([7, 8, 9, 10, 11, 12], 3, 2);
        TensorAssert.AllClose([58, 64, 139, 154], a.MatMul(b));
        var batched = Tensor.Concat([a.ExpandDims(0), (a * 2).ExpandDims(0)]).MatMul(b);
        Assert.That(batched.Shape, Is.EqualTo(new Shape(2, 2, 2)));
        TensorAssert.AllClose([58, 64, 139, 154, 116, 128, 278, 308], batched);
        TensorAssert.AllClose([50, 122], a.MatMul(F([7, 8, 9])));
    }

    [Test]
    public void MatMul_InnerMismatch_ThrowsNamingShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros([32, 784]).MatMul(Tensor.Zeros([128, 10])));
        Assert.That(ex!.Message, Does.Contain("(32, 784)").And.Contain("(128, 10)"));
    }

    [Test]
    public void Transpose_Reshape_Slice_Gather_Values()
    {
        var x = F([1, 2, 3, 4, 5, 6], 2, 3);
        TensorAssert.AllClose([1, 4, 2, 5, 3, 6], x.Transpose());
        Assert.That(x.Reshape(3, -1).Shape, Is.EqualTo(new Shape(3, 2)));
        TensorAssert.AllClose([4, 5, 6], x.Slice(1, 1));
        TensorAssert.AllClose([2, 3, 5, 6], x.Slice(1, 1, 2));
        TensorAssert.AllClose([4, 5, 6, 1, 2, 3, 4, 5, 6], x.Gather(Tensor.FromArray(new int[] { 1, 0, 1 })));
        var t3 = Tensor.Arange(0, 24).Reshape(2, 3, 4).Transpose(1, 2, 0);
        Assert.That(t3.Shape, Is.EqualTo(new Shape(3, 4, 2)));
        TensorAssert.AllClose([0, 12, 1, 13], t3.Reshape(-1).Slice(0, 4));
    }

    [Test]
    public void Gather_IndexOutOfRange_ThrowsNamingIndexAndShape()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros([3, 2]).Gather(Tensor.FromArray(new long[] { 0, 3 })));
        Assert.That(ex!.Message, Does.Contain("3").And.Contain("(3, 2)"));
    }

    [Test]
    public void Reshape_WrongSize_ThrowsNamingBothShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros([2, 3]).Reshape(4, 2));
        Assert.That(ex!.Message, Does.Contain("(2, 3)").And.Contain("(4, 2)"));
    }

    [Test]
    public void Comparisons_Where_Clip_Values()
    {
        var x = F([-2, 0, 3]);
        Assert.That(x.Greater(0).ToArray<bool>(), Is.EqualTo(new[] { false, false, true }));
        Assert.That(x.Equal(0).ToArray<bool>(), Is.EqualTo(new[] { false, true, false }));
        TensorAssert.AllClose([0, 0, 3], Tensor.Where(x.Greater(0), x, 0));
        TensorAssert.AllClose([-1, 0, 1], x.Clip(-1, 1));
    }

    [Test]
    public void Cast_FloatToInt_TruncatesTowardZero_BoolRoundTrip()
    {
        Assert.That(F([-1.7f, 2.9f]).Cast(DType.Int32).ToArray<int>(), Is.EqualTo(new[] { -1, 2 }));
        Assert.That(F([0, 2]).Cast(DType.Bool).Cast(DType.Float32).ToArray<float>(), Is.EqualTo(new[] { 0f, 1f }));
        Assert.That(Tensor.FromArray(new byte[] { 255 }).Cast(DType.Float64).Item<double>(), Is.EqualTo(255.0));
    }

    [Test]
    public void Creation_ZerosOnesFullArange_FromMultiDimensionalArray()
    {
        Assert.That(Tensor.Ones([2, 2]).Sum().Item<float>(), Is.EqualTo(4f));
        Assert.That(Tensor.Full([3], 2.5).ToArray<float>(), Is.EqualTo(new[] { 2.5f, 2.5f, 2.5f }));
        Assert.That(Tensor.Arange(0, 1, 0.25).ToArray<float>(), Is.EqualTo(new[] { 0f, 0.25f, 0.5f, 0.75f }));
        var m = Tensor.FromArray(new float[,] { { 1, 2 }, { 3, 4 } });
        Assert.That(m.Shape, Is.EqualTo(new Shape(2, 2)));
        Assert.That(m.ToArray<float>(), Is.EqualTo(new[] { 1f, 2, 3, 4 }));
    }

    [Test]
    public void ToString_ReadsLikeNumpy()
    {
        string device = Device == Device.Cpu ? "" : $", device={Device}";
        Assert.That(F([1, 2.5f, 3, 4], 2, 2).ToString(), Is.EqualTo($"tensor([[ 1., 2.5],\n        [ 3.,  4.]], shape=(2, 2), dtype=float32{device})"));
        Assert.That(Tensor.FromArray(new long[] { 7 }).ToString(), Is.EqualTo($"tensor([7], shape=(1,), dtype=int64{device})"));
        Assert.That(Tensor.Zeros([100, 100]).ToString(), Does.Contain("...").And.Contain("shape=(100, 100)"));
    }

    [Test]
    public void CopyTo_WrongElementType_ThrowsWithHint()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros([2]).ToArray<double>());
        Assert.That(ex!.Message, Does.Contain("float32").And.Contain("Cast"));
    }

    [Test]
    public void Float64_OpsMatchFloat32_ForSameInputs()
    {
        var x = Tensor.Arange(-3, 3, 0.5);
        var y32 = (x.Tanh() * x.Exp()).Softmax().ToArray<float>();
        var y64 = (x.Cast(DType.Float64).Tanh() * x.Cast(DType.Float64).Exp()).Softmax().ToArray<double>();
        TensorAssert.AllClose(y64, Array.ConvertAll(y32, v => (double)v), 1e-7, 1e-5);
    }

    [Test]
    public void Arange_Float64_AndToString_DoNotDisposeTheirResult()
    {
        var x = Tensor.Arange(0, 3, 1, DType.Float64);
        Assert.That(x.ToArray<double>(), Is.EqualTo(new[] { 0.0, 1, 2 }));
        _ = x.ToString();
        Assert.That(x.IsDisposed, Is.False);
    }

    [Test]
    public void SparseSoftmaxCrossEntropy_MatchesLogSoftmaxPick_AndHugeLogitsStayFinite()
    {
        var logits = F([2, -1, 0.5f, 1000, 0, -1000], 2, 3);
        var loss = Tensor.SparseSoftmaxCrossEntropyWithLogits(Tensor.FromArray(new long[] { 0, 2 }), logits).ToArray<float>();
        var logp = logits.LogSoftmax().ToArray<float>();
        Assert.That(loss[0], Is.EqualTo(-logp[0]).Within(1e-6));
        Assert.That(loss[1], Is.EqualTo(2000f).Within(1e-2));
    }

    [Test]
    public void SparseSoftmaxCrossEntropy_LabelOutOfRange_ThrowsNamingLabelAndPosition()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.SparseSoftmaxCrossEntropyWithLogits(Tensor.FromArray(new long[] { 0, 10 }), Tensor.Zeros([2, 10])));
        Assert.That(ex!.Message, Does.Contain("label 10 at position 1").And.Contain("[0, 10)"));
    }
}
