using Framework.Layers;
using Framework.Tensors;
using Framework.Tests.Helpers;

namespace Framework.Tests.Layers;

[TestFixtureSource(typeof(TestDevices), nameof(TestDevices.Both))]
public class FlattenTests(Device device) : OnDevice(device)
{
    [Test]
    public void Conformance_Rank3_KeepsBatchAndFlattensTheRest() =>
        LayerTester.Run(() => new Flatten(), new([2, 3, 4], [2, 12], 0, 0, []));

    [Test]
    public void Apply_Rank1_BecomesColumn() =>
        Assert.That(new Flatten().Apply(Tensor.Zeros([5])).Shape, Is.EqualTo(new Shape(5, 1)));

    [Test]
    public void Apply_Rank4_PreservesRowMajorOrder()
    {
        var x = Tensor.Arange(0, 24, 1, DType.Float32).Reshape(2, 3, 2, 2);
        TensorAssert.AllClose([.. Enumerable.Range(0, 24).Select(i => (double)i)], new Flatten().Apply(x));
    }

    [Test]
    public void Apply_Scalar_ThrowsNamingLayer()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Flatten("flat").Apply(Tensor.Scalar(1f)));
        Assert.That(ex!.Message, Does.Contain("Flatten 'flat'").And.Contain("()"));
    }
}
