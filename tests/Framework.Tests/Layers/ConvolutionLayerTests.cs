using System.Text.Json;
using Framework.Layers;
using Framework.Tensors;
using Framework.Tests.Helpers;
using Framework.Training;

namespace Framework.Tests.Layers;

/// <summary>Conformance (shapes, weights, gradients, config round trip), Keras's configuration keys, Summary and errors.</summary>
public class ConvolutionLayerTests
{
    [Test]
    public void Conformance_Conv2D()
    {
        var layer = (Conv2D)LayerTester.Run(() => new Conv2D(3, (3, 2), strides: (2, 1), padding: "same", activation: "tanh"),
            new([2, 5, 4, 2], [2, 3, 4, 3], 2, 0, ["kernel", "bias"]));
        Assert.That(layer.Kernel.Shape, Is.EqualTo(new Shape(3, 2, 2, 3)));
        Assert.That(layer.Kernel.Name, Is.EqualTo($"{layer.Name}/kernel"));
    }

    [Test]
    public void Conformance_Conv2D_NoBiasDilated() =>
        LayerTester.Run(() => new Conv2D(2, 2, dilationRate: 2, useBias: false), new([1, 5, 5, 3], [1, 3, 3, 2], 1, 0, ["kernel"]));

    [Test]
    public void Conformance_Conv1D() =>
        LayerTester.Run(() => new Conv1D(4, 3, padding: "causal", activation: "sigmoid"), new([2, 6, 3], [2, 6, 4], 2, 0, ["kernel", "bias"]));

    [Test]
    public void Conformance_Pooling()
    {
        LayerTester.Run(() => new MaxPooling2D(2, padding: "same"), new([2, 5, 5, 3], [2, 3, 3, 3], 0, 0, []));
        LayerTester.Run(() => new AveragePooling2D((2, 3)), new([2, 4, 6, 2], [2, 2, 2, 2], 0, 0, []));
        LayerTester.Run(() => new MaxPooling1D(3, strides: 1), new([2, 6, 2], [2, 4, 2], 0, 0, []));
        LayerTester.Run(() => new AveragePooling1D(2, padding: "same"), new([2, 5, 2], [2, 3, 2], 0, 0, []));
        LayerTester.Run(() => new GlobalAveragePooling2D(), new([2, 3, 4, 5], [2, 5], 0, 0, []));
        LayerTester.Run(() => new GlobalMaxPooling2D(keepDims: true), new([2, 3, 4, 5], [2, 1, 1, 5], 0, 0, []));
        LayerTester.Run(() => new GlobalAveragePooling1D(), new([2, 7, 3], [2, 3], 0, 0, []));
        LayerTester.Run(() => new GlobalMaxPooling1D(), new([2, 7, 3], [2, 3], 0, 0, []));
    }

    [Test]
    public void Conformance_BatchNormalization4D() =>
        LayerTester.Run(() => new BatchNormalization(), new([4, 3, 3, 2], [4, 3, 3, 2], 2, 2, ["gamma", "beta", "moving_mean", "moving_variance"]) { Training = true });

    [Test]
    public void GetConfig_Conv2D_HasKerasKeysAndValues()
    {
        var config = new Conv2D(32, 3, activation: "relu", name: "conv2d").GetConfig();
        Assert.That(config.Keys, Is.EquivalentTo(new[] { "name", "trainable", "filters", "kernel_size", "strides", "padding", "data_format",
            "dilation_rate", "groups", "activation", "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer" }));
        Assert.That(JsonSerializer.Serialize(config["kernel_size"]), Is.EqualTo("[3,3]"));
        Assert.That(JsonSerializer.Serialize(config["strides"]), Is.EqualTo("[1,1]"));
        Assert.That((config["padding"], config["data_format"], config["activation"], config["groups"]), Is.EqualTo(("valid", "channels_last", "relu", 1)));
        Assert.That(JsonSerializer.Serialize(config["kernel_initializer"]), Does.Contain("\"class_name\":\"GlorotUniform\""));
        Assert.That(JsonSerializer.Serialize(config["bias_initializer"]), Does.Contain("\"class_name\":\"Zeros\""));
    }

    [Test]
    public void GetConfig_MaxPooling2D_StridesDefaultToPoolSize()
    {
        var config = new MaxPooling2D((3, 2)).GetConfig();
        Assert.That(config.Keys, Is.EquivalentTo(new[] { "name", "trainable", "pool_size", "padding", "strides", "data_format" }));
        Assert.That(JsonSerializer.Serialize(config["strides"]), Is.EqualTo("[3,2]"));
        Assert.That(new GlobalAveragePooling2D().GetConfig().Keys, Is.EquivalentTo(new[] { "name", "trainable", "data_format", "keepdims" }));
    }

    [Test]
    public void FromConfig_KerasJson_IntsOrListsAndDefaults()
    {
        var config = JsonSerializer.Deserialize<Dictionary<string, object?>>(
            """{"name": "c", "trainable": true, "filters": 8, "kernel_size": [5, 3], "strides": 2, "padding": "same", "data_format": "channels_last", "dilation_rate": [1, 1], "groups": 1, "activation": "relu", "use_bias": false}""")!;
        var conv = (Conv2D)LayerRegistry.Create("Conv2D", config);
        Assert.That((conv.Filters, conv.KernelSize, conv.Strides, conv.Padding, conv.UseBias), Is.EqualTo((8, new[] { 5, 3 }, new[] { 2, 2 }, "same", false)));
        var pool = (MaxPooling1D)LayerRegistry.Create("MaxPooling1D", JsonSerializer.Deserialize<Dictionary<string, object?>>("""{"pool_size": [3], "strides": null}""")!);
        Assert.That((pool.PoolSize, pool.Strides), Is.EqualTo((new[] { 3 }, new[] { 3 })));
    }

    [Test]
    public void LayerRegistry_HasEveryConvolutionAndPoolingLayer() =>
        Assert.That(LayerRegistry.RegisteredNames, Is.SupersetOf(new[] { "Conv1D", "Conv2D", "MaxPooling1D", "MaxPooling2D", "AveragePooling1D",
            "AveragePooling2D", "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalMaxPooling1D", "GlobalMaxPooling2D" }));

    [Test]
    public void Default_Names_AreKerasSnakeCase()
    {
        Assert.That(new Conv2D(1, 1).Name, Does.StartWith("conv2d"));
        Assert.That(new MaxPooling2D().Name, Does.StartWith("max_pooling2d"));
        Assert.That(new GlobalAveragePooling2D().Name, Does.StartWith("global_average_pooling2d"));
    }

    [Test]
    public void Summary_KerasMnistCnn_ShapesAndParamCountsAsKeras()
    {
        var model = new Sequential([new Conv2D(32, 3, activation: "relu"), new Conv2D(64, 3, activation: "relu"), new MaxPooling2D(2),
            new Dropout(0.25), new Flatten(), new Dense(128, activation: "relu"), new Dropout(0.5), new Dense(10, activation: "softmax")], inputShape: [28, 28, 1]);
        var text = new StringWriter();
        model.Summary(text);
        var s = text.ToString();
        // Keras prints these for keras/examples/mnist_cnn.py: 320, 18,496, 1,179,776 and 1,290 parameters.
        Assert.That(s, Does.Contain("(None, 26, 26, 32)").And.Contain("(None, 24, 24, 64)").And.Contain("(None, 12, 12, 64)").And.Contain("(None, 9216)"));
        Assert.That(s, Does.Contain("320").And.Contain("18,496").And.Contain("1,179,776").And.Contain("1,290"));
        Assert.That(s, Does.Contain("Total params: 1,199,882"));
    }

    [Test]
    public void Constructors_BadArguments_ThrowNamingTheArgument()
    {
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Conv2D(0, 3))!.ParamName, Is.EqualTo("filters"));
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new Conv2D(2, 3, padding: "causal"))!.Message, Does.Contain("'causal'"));
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new Conv2D(2, 3, dataFormat: "channels_first"))!.Message, Does.Contain("channels_last"));
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new Conv2D(2, 3, groups: 2))!.Message, Does.Contain("groups=2"));
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new Conv2D(2, (3, 0)))!.Message, Does.Contain("kernel_size"));
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new MaxPooling2D(padding: "full"))!.Message, Does.Contain("'full'"));
    }

    [Test]
    public void Apply_WrongRank_ThrowsNamingLayerAndShape()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Conv2D(2, 3, name: "c2").Apply(Tensor.Zeros([2, 8, 8, 1, 1])));
        Assert.That(ex!.Message, Does.Contain("Conv2D 'c2'").And.Contain("rank 4").And.Contain("(2, 8, 8, 1, 1)"));
        var pool = Assert.Throws<ArgumentException>(() => new MaxPooling1D(name: "p1").Apply(Tensor.Zeros([2, 8, 8, 1])));
        Assert.That(pool!.Message, Does.Contain("MaxPooling1D 'p1'").And.Contain("rank 3"));
    }
}
