using System.Text.Json;
using Framework.Layers;
using Framework.Tensors;

namespace Framework.Tests.Layers;

public class LayerRegistryTests
{
    public static IEnumerable<TestCaseData> BuiltIns()
    {
        yield return new TestCaseData("Dense", (Func<Layer>)(() => new Dense(3, "relu", useBias: false, kernelInitializer: new HeNormal(4),
            biasInitializer: new Constant(0.5), kernelRegularizer: new L2(0.02), biasRegularizer: new L1L2(0.1, 0.2), name: "dense_rt"))).SetArgDisplayNames("Dense");
        yield return new TestCaseData("Dropout", (Func<Layer>)(() => new Dropout(0.25, seed: 9, name: "drop_rt"))).SetArgDisplayNames("Dropout");
        yield return new TestCaseData("Flatten", (Func<Layer>)(() => new Flatten("flat_rt") { Trainable = false })).SetArgDisplayNames("Flatten");
        yield return new TestCaseData("Activation", (Func<Layer>)(() => new Activation("softmax", "act_rt"))).SetArgDisplayNames("Activation");
        yield return new TestCaseData("InputLayer", (Func<Layer>)(() => new InputLayer([28, 28], "input_rt"))).SetArgDisplayNames("InputLayer");
        yield return new TestCaseData("BatchNormalization", (Func<Layer>)(() => new BatchNormalization(1, 0.9, 0.01, center: false, name: "bn_rt")))
            .SetArgDisplayNames("BatchNormalization");
    }

    [TestCaseSource(nameof(BuiltIns))]
    public void Create_BuiltInConfigThroughJson_SameTypeAndConfig(string className, Func<Layer> make)
    {
        var layer = make();
        Assert.That(LayerRegistry.GetClassName(layer), Is.EqualTo(className));
        var json = JsonSerializer.Serialize(layer.GetConfig());
        var copy = LayerRegistry.Create(className, JsonSerializer.Deserialize<Dictionary<string, object?>>(json)!);
        Assert.That(copy.GetType(), Is.EqualTo(layer.GetType()));
        Assert.That(JsonSerializer.Serialize(copy.GetConfig()), Is.EqualTo(json));
        Assert.That((copy.Name, copy.Trainable), Is.EqualTo((layer.Name, layer.Trainable)));
    }

    [Test]
    public void Create_KerasWrittenDenseConfig_ReadsKerasFields()
    {
        const string json = """
            {"name": "dense_2", "trainable": true, "dtype": "float32", "units": 10, "activation": "softmax", "use_bias": true,
             "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null},
             "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null},
             "kernel_regularizer": {"module": "keras.regularizers", "class_name": "L2", "config": {"l2": 0.001}, "registered_name": null},
             "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null}
            """;
        var dense = (Dense)LayerRegistry.Create("Dense", JsonSerializer.Deserialize<Dictionary<string, object?>>(json)!);
        Assert.That((dense.Units, dense.Activation, dense.Name), Is.EqualTo((10, "softmax", "dense_2")));
        Assert.That(dense.KernelInitializer, Is.TypeOf<GlorotUniform>());
        Assert.That(((L2)dense.KernelRegularizer!).L2Factor, Is.EqualTo(0.001));
        Assert.That(dense.BiasRegularizer, Is.Null);
    }

    [Test]
    public void Create_Keras2InputLayerConfig_ReadsBatchInputShape()
    {
        const string json = """{"batch_input_shape": [null, 784], "dtype": "float32", "sparse": false, "name": "input_1"}""";
        var input = (InputLayer)LayerRegistry.Create("InputLayer", JsonSerializer.Deserialize<Dictionary<string, object?>>(json)!);
        Assert.That(input.InputShape, Is.EqualTo(new Shape(784)));
    }

    [Test]
    public void Create_UnknownClass_ThrowsListingRegisteredNames()
    {
        var ex = Assert.Throws<ArgumentException>(() => LayerRegistry.Create("Conv3D", new Dictionary<string, object?>()));
        Assert.That(ex!.Message, Does.Contain("'Conv3D'").And.Contain("Dense").And.Contain("BatchNormalization").And.Contain("Register"));
    }

    [Test]
    public void RegisteredNames_IncludesEveryBuiltIn() =>
        Assert.That(LayerRegistry.RegisteredNames, Is.SupersetOf(new[] { "Activation", "BatchNormalization", "Dense", "Dropout", "Flatten", "InputLayer" }));

    private sealed class Unregistered : Layer
    {
        protected override Tensor Call(Tensor input, bool training) => input;
    }

    private sealed class Impostor : Layer
    {
        protected override Tensor Call(Tensor input, bool training) => input;
    }

    [Test]
    public void GetClassName_UnregisteredType_ThrowsSayingHowToRegister()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => LayerRegistry.GetClassName(new Unregistered()));
        Assert.That(ex!.Message, Does.Contain("Unregistered").And.Contain("LayerRegistry.Register"));
    }

    [Test]
    public void Register_BuiltInNameForOtherType_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => LayerRegistry.Register<Impostor>("Dense", _ => new Impostor()));
        Assert.That(ex!.Message, Does.Contain("'Dense'").And.Contain("Framework.Layers.Dense"));
        Assert.That(LayerRegistry.Create("Dense", new Dictionary<string, object?> { ["units"] = 2 }), Is.TypeOf<Dense>());
    }

    [Test]
    public void Create_InvalidConfigValue_ThrowsNamingKey()
    {
        var ex = Assert.Throws<ArgumentException>(() => LayerRegistry.Create("Dense", new Dictionary<string, object?> { ["units"] = "many" }));
        Assert.That(ex!.Message, Does.Contain("'units'").And.Contain("many"));
    }
}
