using Framework.Layers;
using Framework.Tensors;
using Framework.Tests.Helpers;

namespace Framework.Tests.Layers;

[TestFixtureSource(typeof(TestDevices), nameof(TestDevices.Both))]
public class ActivationTests(Device device) : OnDevice(device)
{
    [TestCase("tanh")]
    [TestCase("sigmoid")]
    [TestCase("softmax")]
    [TestCase("linear")]
    public void Conformance_SmoothActivations_ShapeAndGradients(string name) =>
        LayerTester.Run(() => new Activation(name), new([3, 4], [3, 4], 0, 0, []));

    [Test]
    public void Apply_Relu_ClampsNegatives() =>
        TensorAssert.AllClose([0, 0, 2], new Activation("relu").Apply(Tensor.FromArray(new float[] { -1, 0, 2 }, 1, 3)));

    [Test]
    public void Apply_Null_IsIdentityNamedLinear()
    {
        var layer = new Activation(null);
        var x = Tensor.FromArray(new float[] { -1, 2 }, 1, 2);
        Assert.That(layer.Apply(x), Is.SameAs(x));
        Assert.That(layer.GetConfig()["activation"], Is.EqualTo("linear"));
    }

    [Test]
    public void Constructor_UnknownName_ThrowsListingKnownNames()
    {
        var ex = Assert.Throws<ArgumentException>(() => _ = new Activation("gelu_fast"));
        Assert.That(ex!.Message, Does.Contain("'gelu_fast'").And.Contain("tanh"));
    }

    [Test]
    public void Activations_Names_AreTheKerasOnes() =>
        Assert.That(Activations.Names, Is.EquivalentTo(new[] { "linear", "relu", "sigmoid", "tanh", "softmax" }));
}
