using Framework.Layers;
using Framework.Tensors;
using Framework.Tests.Helpers;

namespace Framework.Tests.Layers;

public class LeakyReLUTests
{
    [Test]
    public void Conformance_ShapeGradientsAndConfigRoundTrip() =>
        LayerTester.Run(() => new LeakyReLU(0.2), new([3, 4], [3, 4], 0, 0, []));

    [Test]
    public void Apply_MatchesPyTorchLeakyRelu()
    {
        // /usr/bin/python3: torch.nn.functional.leaky_relu(x, 0.2) for this x (float64).
        var x = Tensor.FromArray(new float[] { -2f, -0.5f, 0f, 0.25f, 3f, 1.5f, -1e-3f, -10f, 0.7f, -0.3f }, 2, 5);
        TensorAssert.AllClose([-0.4f, -0.1f, 0f, 0.25f, 3f, 1.5f, -0.0002f, -2f, 0.7f, -0.06f], new LeakyReLU(0.2).Apply(x), 1e-7, 1e-6);
    }

    [Test]
    public void FromConfig_KerasNames_Keras3NegativeSlopeAndKeras2Alpha()
    {
        var keras3 = (LeakyReLU)LayerRegistry.Create("LeakyReLU", new Dictionary<string, object?> { ["name"] = "leaky_re_lu_7", ["negative_slope"] = 0.2 });
        var keras2 = (LeakyReLU)LayerRegistry.Create("LeakyReLU", new Dictionary<string, object?> { ["alpha"] = 0.1 });
        Assert.That((keras3.Name, keras3.NegativeSlope, keras2.NegativeSlope), Is.EqualTo(("leaky_re_lu_7", 0.2, 0.1)));
    }

    [Test]
    public void Constructor_NegativeSlope_ThrowsNamingIt()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new LeakyReLU(-1));
        Assert.That(e!.Message, Does.Contain("negative_slope"));
    }
}
