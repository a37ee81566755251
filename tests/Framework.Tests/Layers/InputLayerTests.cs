using Framework.Layers;
using Framework.Tensors;
using Framework.Tests.Helpers;

namespace Framework.Tests.Layers;

public class InputLayerTests
{
    [Test]
    public void Conformance_PassesInputThrough() =>
        LayerTester.Run(() => new InputLayer([4]), new([3, 4], [3, 4], 0, 0, []));

    [Test]
    public void BatchShape_PrependsBatchDimension() =>
        Assert.That(new InputLayer([28, 28]).BatchShape(32), Is.EqualTo(new Shape(32, 28, 28)));

    [Test]
    public void Apply_WrongShape_ThrowsNamingLayerAndShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => new InputLayer([784], "pixels").Apply(Tensor.Zeros([32, 28, 28])));
        Assert.That(ex!.Message, Does.Contain("InputLayer 'pixels'").And.Contain("(batch, 784)").And.Contain("(32, 28, 28)"));
    }

    [Test]
    public void Constructor_NonPositiveDimension_ThrowsWithShape()
    {
        var ex = Assert.Throws<ArgumentException>(() => _ = new InputLayer([28, 0]));
        Assert.That(ex!.Message, Does.Contain("(28, 0)"));
    }

    [Test]
    public void GetConfig_BatchShapeHasNullBatch()
    {
        var shape = (List<int?>)new InputLayer([28, 28]).GetConfig()["batch_shape"]!;
        Assert.That(shape, Is.EqualTo(new int?[] { null, 28, 28 }));
    }
}
