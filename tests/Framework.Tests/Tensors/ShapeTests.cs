using Framework.Tensors;

namespace Framework.Tests.Tensors;

public class ShapeTests
{
    [Test]
    public void ToString_FormatsAsPythonTuple()
    {
        Assert.That(new Shape(32, 28, 28).ToString(), Is.EqualTo("(32, 28, 28)"));
        Assert.That(new Shape(10).ToString(), Is.EqualTo("(10,)"));
        Assert.That(Shape.Scalar.ToString(), Is.EqualTo("()"));
    }

    [Test]
    public void Broadcast_CompatibleShapes_FollowsNumpyRules()
    {
        Assert.That(Shape.Broadcast([8, 1, 6, 1], [7, 1, 5]), Is.EqualTo(new Shape(8, 7, 6, 5)));
        Assert.That(Shape.Broadcast([3], []), Is.EqualTo(new Shape(3)));
    }

    [Test]
    public void Broadcast_IncompatibleShapes_ThrowsNamingBothShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Shape.Broadcast([2, 3], [4, 3]));
        Assert.That(ex!.Message, Does.Contain("(2, 3)").And.Contain("(4, 3)"));
    }

    [Test]
    public void Constructor_NegativeDimension_ThrowsWithShape()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Shape(2, -1));
        Assert.That(ex!.Message, Does.Contain("(2, -1)"));
    }

    [Test]
    public void Size_IsProductOfDims_ScalarIsOne()
    {
        Assert.That(new Shape(2, 3, 4).Size, Is.EqualTo(24));
        Assert.That(Shape.Scalar.Size, Is.EqualTo(1));
        Assert.That(new Shape(5, 0).Size, Is.EqualTo(0));
    }

    [Test]
    public void Indexer_NegativeAxis_CountsFromEnd()
    {
        var s = new Shape(2, 3, 4);
        Assert.That(s[-1], Is.EqualTo(4));
        Assert.That(s[^2], Is.EqualTo(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = s[3]);
    }
}
