using Framework.Tensors;
using Framework.Tests.Helpers;

namespace Framework.Tests.Tensors;

[TestFixtureSource(typeof(TestDevices), nameof(TestDevices.Both))]
public class AutogradTests(Device device) : OnDevice(device)
{
    [Test]
    public void Backward_MicrogradChain_MatchesReferenceValues()
    {
        // micrograd's README example, whose gradients PyTorch confirms: g = 24.7041, dg/da = 138.8338, dg/db = 645.5773.
        var a = Tensor.Scalar(-4.0, DType.Float64).RequireGrad();
        var b = Tensor.Scalar(2.0, DType.Float64).RequireGrad();
        var c = a + b;
        var d = a * b + b.Pow(3);
        c = c + c + 1;
        c = c + 1 + c + (-a);
        d = d + d * 2 + (b + a).Relu();
        d = d + 3 * d + (b - a).Relu();
        var e = c - d;
        var f = e.Pow(2);
        var g = f / 2.0;
        g = g + 10.0 / f;
        g.Backward();
        Assert.That(g.Item<double>(), Is.EqualTo(24.7041).Within(1e-4));
        Assert.That(a.Grad!.Item<double>(), Is.EqualTo(138.8338).Within(1e-4));
        Assert.That(b.Grad!.Item<double>(), Is.EqualTo(645.5773).Within(1e-4));
    }

    [Test]
    public void Backward_TwoCalls_AccumulateIntoGrad()
    {
        var x = Tensor.FromArray(new float[] { 1, 2 }).RequireGrad();
        (x * 3).Sum().Backward();
        (x * x).Sum().Backward();
        TensorAssert.AllClose([5, 7], x.Grad!);
    }

    [Test]
    public void NoGrad_RecordsNothing()
    {
        var x = Tensor.Ones([2]).RequireGrad();
        Tensor y;
        using (Autograd.NoGrad()) y = x * 2;
        Assert.That(y.RequiresGrad, Is.False);
        Assert.That(Autograd.IsEnabled, Is.True);
    }

    [Test]
    public void Backward_NonScalarWithoutGradient_ThrowsNamingShape()
    {
        var x = Tensor.Ones([2, 3]).RequireGrad();
        var ex = Assert.Throws<InvalidOperationException>(() => (x * 2).Backward());
        Assert.That(ex!.Message, Does.Contain("(2, 3)"));
    }

    [Test]
    public void Backward_WithoutTrainableInputs_ThrowsClearly()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => (Tensor.Ones([1]) * 2).Backward());
        Assert.That(ex!.Message, Does.Contain("does not require gradients"));
    }

    [Test]
    public void Backward_DeepChain_DoesNotOverflowTheStack()
    {
        var x = Tensor.Scalar(1.0, DType.Float64).RequireGrad();
        var y = x;
        for (int i = 0; i < 20_000; i++) y = y * 1.0;
        y.Backward();
        Assert.That(x.Grad!.Item<double>(), Is.EqualTo(1.0));
    }

    [Test]
    public void Variable_GradFlows_AssignUpdatesInPlace()
    {
        var w = new Variable(Tensor.FromArray(new float[] { 1, 2 }), "w");
        (w.Value * w.Value).Sum().Backward();
        TensorAssert.AllClose([2, 4], w.Grad!);
        w.AssignSub(w.Grad! * 0.5);
        TensorAssert.AllClose([0, 0], w.Value);
        w.ZeroGrad();
        Assert.That(w.Grad, Is.Null);
        w.Assign(Tensor.Scalar(3f));
        TensorAssert.AllClose([3, 3], w.Value);
    }

    [Test]
    public void Variable_AssignWrongShape_ThrowsNamingVariableAndShapes()
    {
        var w = new Variable(Tensor.Zeros([2, 3]), "dense/kernel");
        var ex = Assert.Throws<ArgumentException>(() => w.Assign(Tensor.Zeros([3, 2])));
        Assert.That(ex!.Message, Does.Contain("dense/kernel").And.Contain("(3, 2)").And.Contain("(2, 3)"));
    }

    [Test]
    public void Variable_IntegerTrainable_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => _ = new Variable(Tensor.Zeros([1], DType.Int64), "iter"));
        Assert.That(ex!.Message, Does.Contain("int64").And.Contain("trainable: false"));
        Assert.That(new Variable(Tensor.Zeros([1], DType.Int64), "iter", trainable: false).Trainable, Is.False);
    }
}
