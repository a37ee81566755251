using System.Runtime.InteropServices;
using Framework.Tensors;

namespace Framework.Tests.Tensors;

/// <summary>The zero-copy doors to a tensor's storage that file readers and writers use: <see cref="Tensor.HostMemory{T}"/>,
/// <see cref="Tensor.Create{T, TState}"/>, <see cref="Variable.TakeOver"/> and <see cref="Variable.Overwrite{T, TState}"/>.</summary>
public class TensorHostMemoryTests
{
    [Test]
    public void HostMemory_IsTheTensorsOwnElements_ForPooledAndHugePageStorage()
    {
        // 300 floats come from the array pool; 1M floats (4 MB) from the huge-page buffers (byte arrays) when enabled.
        foreach (int n in new[] { 300, 1_000_000 })
        {
            using var t = Tensor.Arange(0, n);
            var memory = t.HostMemory<float>();
            Assert.That(memory.Length, Is.EqualTo(n));
            Assert.That(memory.Span.ToArray(), Is.EqualTo(t.ToArray<float>()));
            using var pin = MemoryMarshal.AsMemory(memory).Pin();
            unsafe
            {
                Assert.That(((float*)pin.Pointer)[n - 1], Is.EqualTo((float)(n - 1)));
            }
        }
    }

    [Test]
    public void HostMemory_OfAView_StartsAtItsOffset()
    {
        using var t = Tensor.Arange(0, 1000).Reshape(10, 100);
        using var rows = t.Slice(3, 2);
        Assert.That(rows.HostMemory<float>().Span[0], Is.EqualTo(300f));
        Assert.That(rows.HostMemory<float>().Length, Is.EqualTo(200));
    }

    [Test]
    public void HostMemory_OfAnotherElementType_Throws()
    {
        using var t = Tensor.Zeros([4]);
        var ex = Assert.Throws<ArgumentException>(() => t.HostMemory<double>());
        Assert.That(ex!.Message, Does.Contain("float32"));
    }

    [Test]
    public void Create_FillsTheNewTensorsElements()
    {
        foreach (int n in new[] { 3, 1_000_000 })
        {
            using var t = Tensor.Create<int, int>(new Shape(n), 7, (span, value) => span.Fill(value));
            Assert.That(t.DType, Is.EqualTo(DType.Int32));
            Assert.That(t.ToArray<int>(), Is.All.EqualTo(7));
        }
    }

    [Test]
    public void Create_WhenFillThrows_Propagates()
    {
        Assert.Throws<InvalidDataException>(() => Tensor.Create<float, int>(new Shape(5), 0, (_, _) => throw new InvalidDataException("corrupt")));
    }

    [Test]
    public void TakeOver_MakesTheTensorTheValue_WithoutCopy_AndOutlivesItsScope()
    {
        var variable = new Variable(Tensor.Zeros([2, 3]), "v");
        var old = variable.Value;
        Tensor fresh;
        using (TensorScope.Begin())
        {
            fresh = Tensor.Create<float, int>(new Shape(2, 3), 0, (span, _) => { for (int i = 0; i < span.Length; i++) span[i] = i; });
            variable.TakeOver(fresh);
        }
        Assert.That(variable.Value, Is.SameAs(fresh));
        Assert.That(fresh.IsDisposed, Is.False);
        Assert.That(old.IsDisposed, Is.True);
        Assert.That(variable.Value.RequiresGrad, Is.True);
        Assert.That(variable.Value.ToArray<float>(), Is.EqualTo(new float[] { 0, 1, 2, 3, 4, 5 }));
    }

    [Test]
    public void TakeOver_OfAnotherShapeOrDType_ThrowsNamingTheVariable()
    {
        var variable = new Variable(Tensor.Zeros([2, 3]), "dense/kernel");
        var ex = Assert.Throws<ArgumentException>(() => variable.TakeOver(Tensor.Zeros([3, 2])));
        Assert.That(ex!.Message, Does.Contain("dense/kernel").And.Contain("(3, 2)"));
        Assert.Throws<ArgumentException>(() => variable.TakeOver(Tensor.Zeros([2, 3]).Cast(DType.Float64)));
    }

    [Test]
    public void Overwrite_WritesTheVariablesOwnElements()
    {
        var variable = new Variable(Tensor.Zeros([2, 3]), "v");
        var storage = variable.Value;
        variable.Overwrite<float, float>(2.5f, (span, value) => span.Fill(value));
        Assert.That(variable.Value, Is.SameAs(storage));
        Assert.That(variable.Value.ToArray<float>(), Is.All.EqualTo(2.5f));
        var ex = Assert.Throws<ArgumentException>(() => variable.Overwrite<double, int>(0, (_, _) => { }));
        Assert.That(ex!.Message, Does.Contain("'v'"));
    }
}
