using Framework.Tensors;

namespace Framework.Tests.Tensors;

public class TensorScopeTests
{
    [Test]
    public void Dispose_DisposesTensorsCreatedInside_KeepsKeptOnes()
    {
        var outside = Tensor.Ones([300]);
        Tensor inside, kept;
        using (var scope = TensorScope.Begin())
        {
            inside = Tensor.Ones([300]);
            kept = scope.Keep(outside + inside);
            Assert.That(scope.Count, Is.EqualTo(1));
        }
        Assert.That(inside.IsDisposed, Is.True);
        Assert.That(kept.IsDisposed, Is.False);
        Assert.That(outside.IsDisposed, Is.False);
        Assert.That(kept.Sum().Item<float>(), Is.EqualTo(600f));
    }

    [Test]
    public void DisposedTensor_Use_ThrowsObjectDisposedWithHint()
    {
        Tensor t;
        using (TensorScope.Begin()) t = Tensor.Zeros([1000]);
        var ex = Assert.Throws<ObjectDisposedException>(() => t.ToArray<float>());
        Assert.That(ex!.Message, Does.Contain("TensorScope"));
    }

    [Test]
    public void View_KeepsSharedStorageAliveAfterSourceIsDisposed()
    {
        var x = Tensor.Arange(0, 1000);
        var view = x.Reshape(10, 100);
        x.Dispose();
        Assert.That(view.Sum().Item<float>(), Is.EqualTo(499500f));
    }

    [Test]
    public void NestedScopes_KeepMovesToOuterScope()
    {
        Tensor kept;
        using (var outer = TensorScope.Begin())
        {
            using (var inner = TensorScope.Begin()) kept = inner.Keep(Tensor.Zeros([500]));
            Assert.That(kept.IsDisposed, Is.False);
            Assert.That(outer.Count, Is.EqualTo(1));
        }
        Assert.That(kept.IsDisposed, Is.True);
    }

    [Test]
    public void Variable_CreatedInsideScope_Survives()
    {
        Variable v;
        using (TensorScope.Begin()) v = new Variable(Tensor.Ones([400]), "v");
        Assert.That(v.Value.Sum().Item<float>(), Is.EqualTo(400f));
    }
}
