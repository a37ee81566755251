using Framework.Layers;
using Framework.Tensors;
using Framework.Tests.Helpers;

namespace Framework.Tests.Layers;

public class ReshapeTests
{
    [Test]
    public void Conformance_FlatToImage_KeepsBatch() =>
        LayerTester.Run(() => new Reshape([2, 3, 2]), new([4, 12], [4, 2, 3, 2], 0, 0, []));

    [Test]
    public void Conformance_InferredDimension_Resolved() =>
        LayerTester.Run(() => new Reshape([-1, 4]), new([3, 2, 6], [3, 3, 4], 0, 0, []));

    [Test]
    public void Apply_Rank3_PreservesRowMajorOrder()
    {
        var x = Tensor.Arange(0, 24, 1, DType.Float32).Reshape(2, 12);
        var y = new Reshape([3, 4]).Apply(x);
        Assert.That(y.Shape, Is.EqualTo(new Shape(2, 3, 4)));
        TensorAssert.AllClose([.. Enumerable.Range(0, 24).Select(i => (double)i)], y);
    }

    [TestCase(new[] { 5, 2 }, "(5, 2) (10 elements)")]
    [TestCase(new[] { 5, -1 }, "12 is not a multiple of 5")]
    public void Apply_SizeMismatch_ThrowsNamingLayerAndShapes(int[] target, string detail)
    {
        var error = Assert.Throws<ArgumentException>(() => new Reshape(target, "to_image").Apply(Tensor.Zeros([2, 3, 4])));
        Assert.That(error!.Message, Does.Contain("Reshape 'to_image'").And.Contain("(2, 3, 4)").And.Contain("12 elements per sample").And.Contain(detail));
    }

    [TestCase(new[] { -1, -1 })]
    [TestCase(new[] { 3, 0 })]
    [TestCase(new[] { -2, 4 })]
    public void Constructor_InvalidTargetShape_ThrowsNamingIt(int[] target)
    {
        var error = Assert.Throws<ArgumentException>(() => new Reshape(target));
        Assert.That(error!.Message, Does.Contain("target_shape").And.Contain(Shape.Format(target)));
    }

    [Test]
    public void FromConfig_KerasJson_ReadsTargetShape()
    {
        var config = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, object?>>(
            """{"name": "reshape", "trainable": true, "dtype": "float32", "target_shape": [7, 7, 64]}""")!;
        var layer = (Reshape)LayerRegistry.Create("Reshape", config);
        Assert.That(layer.TargetShape, Is.EqualTo(new[] { 7, 7, 64 }));
        Assert.That(layer.ComputeOutputShape([8, 3136]), Is.EqualTo(new Shape(8, 7, 7, 64)));
    }

    [Test]
    public void CheckGradients_PassesGradientThroughUnchanged() =>
        LayerTester.CheckGradients(new Reshape([6]), LayerTester.Random(2, [2, 3, 2]), training: false);
}
