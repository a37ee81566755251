using Framework.Serialization;
using Framework.Tensors;

namespace Framework.Tests.Serialization.Checkpoints;

public class CheckpointReaderTests
{
    [Test]
    public void ListVariables_DirectoryOfFixture_UsesLatestAndListsKeys()
    {
        using var reader = new CheckpointReader(Path.Combine(FixturePaths.Fixtures, "tf2_checkpoint_keras_sequential_new_optimizer"));
        Assert.That(Path.GetFileName(reader.Prefix), Is.EqualTo("ckpt-19"));
        var variables = reader.ListVariables();
        Assert.That(variables, Has.Count.EqualTo(19));
        Assert.That(variables.Single(v => v.Key == "net/optimizer/_iterations/.ATTRIBUTES/VARIABLE_VALUE").ToString(),
            Is.EqualTo("net/optimizer/_iterations/.ATTRIBUTES/VARIABLE_VALUE: DT_INT64 ()"));
        Assert.That(reader.GetVariableToShapeMap()["net/layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE"], Is.EqualTo(new Shape(9, 9)));
        Assert.That(reader.GetTensor("net/optimizer/_iterations/.ATTRIBUTES/VARIABLE_VALUE").Item<long>(), Is.EqualTo(316));
        Assert.That(reader.GetTensor("step/.ATTRIBUTES/VARIABLE_VALUE").Item<int>(), Is.EqualTo(1));
        Assert.That(reader.GetTensor("net/layer_with_weights-1/bias/.ATTRIBUTES/VARIABLE_VALUE").ToArray<float>(), Is.EqualTo(new[]
        {
            -0.16004235f, -0.036624845f, -0.1325159f, -0.09986483f, 0.03991726f, -0.13832961f, -0.03854954f, -0.011495354f, -0.11993307f,
        }));
    }

    [Test]
    public void GetTensor_Tf1MklConv2dKernels_KeepTheirFourDimensionalShapeAndValues()
    {
        using var reader = new CheckpointReader(FixturePaths.Fixture("savedmodel_vars_mkl_conv2d_tf1", "variables"));
        var shapes = reader.GetVariableToShapeMap();
        Assert.That(shapes, Has.Count.EqualTo(9));
        // Values from the fixture's ORIGIN.md (decoded by an independent parser).
        foreach (var (name, value) in new[] { ("conv2d", -0.52239597f), ("conv2d_1", -1.045112f), ("conv2d_2", 1.5779432f) })
        {
            Assert.That(shapes[$"{name}/kernel"], Is.EqualTo(new Shape(1, 1, 1, 1)), $"{name}/kernel in the index");
            var kernel = reader.GetTensor($"{name}/kernel");
            Assert.That(kernel.Shape, Is.EqualTo(new Shape(1, 1, 1, 1)), $"{name}/kernel as read");
            Assert.That(kernel.DType, Is.EqualTo(DType.Float32));
            Assert.That(kernel.ToArray<float>(), Is.EqualTo(new[] { value }));
            Assert.That(reader.GetTensor($"{name}/bias").Shape, Is.EqualTo(new Shape(1)));
        }
        Assert.That(reader.GetTensor("a").Item<float>(), Is.EqualTo(0.5f));
        Assert.That(reader.GetTensor("c").Shape, Is.EqualTo(Shape.Scalar));
    }

    [Test]
    public void GetTensor_VariantAndMissing_ClearErrors()
    {
        using var reader = new CheckpointReader(FixturePaths.Fixture("tf2_checkpoint_guide_adam_slots", "ckpt-40"));
        Assert.That(reader.HasTensor("iterator/.ATTRIBUTES/ITERATOR_STATE"), Is.True);
        Assert.That(reader.GetRawBytes("iterator/.ATTRIBUTES/ITERATOR_STATE"), Has.Length.EqualTo(181));
        var e = Assert.Throws<NotSupportedException>(() => reader.GetTensor("iterator/.ATTRIBUTES/ITERATOR_STATE"));
        Assert.That(e!.Message, Does.Contain("DT_VARIANT"));
        Assert.Throws<KeyNotFoundException>(() => reader.GetTensor("nope"));
    }

    [Test]
    public void Constructor_DirectoryWithoutState_ThrowsFileNotFound()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<FileNotFoundException>(() => _ = new CheckpointReader(dir.Path));
        Assert.That(e!.Message, Does.Contain(dir.Path));
    }
}
