using Framework.Layers;
using Framework.Optimizers;
using Framework.Tensors;
using Framework.Training;
using Framework.Tests.Helpers;

namespace Framework.Tests.Saving;

/// <summary>A small CNN of every convolution and pooling layer survives Model.Save / Model.Load and keeps training identically.</summary>
[TestFixtureSource(typeof(TestDevices), nameof(TestDevices.Both))]
public class CnnSaveLoadTests(Device device) : OnDevice(device)
{
    [Test]
    public void Load_TrainedCnn_SameLayersPredictionsAndNextEpoch()
    {
        RandomGenerator.SetGlobalSeed(3);
        var model = new Sequential([
            new Conv2D(4, 3, padding: "same", activation: "relu"), new BatchNormalization(), new MaxPooling2D(2),
            new Conv2D(6, (2, 3), strides: (1, 2)), new AveragePooling2D(2, padding: "same"), new GlobalMaxPooling2D(), new Dense(3),
        ], inputShape: [8, 8, 2]);
        model.Compile(new Adam(0.01), new SparseCategoricalCrossentropy(fromLogits: true));
        var x = Tensor.RandomUniform([24, 8, 8, 2], -1, 1);
        var y = Tensor.FromArray(Enumerable.Range(0, 24).Select(i => (long)(i % 3)).ToArray());
        model.Fit(x, y, epochs: 1, batchSize: 8, verbose: 0);
        using var dir = new SaveDirectory();

        model.Save(dir.ModelPath);
        var loaded = (Sequential)Model.Load(dir.ModelPath);

        Assert.That(loaded.Layers.Select(l => l.GetType()), Is.EqualTo(model.Layers.Select(l => l.GetType())));
        Assert.That(loaded.Layers.Select(l => l.GetConfig()), Is.EqualTo(model.Layers.Select(l => l.GetConfig())).Using<Dictionary<string, object?>>(
            (a, b) => System.Text.Json.JsonSerializer.Serialize(a) == System.Text.Json.JsonSerializer.Serialize(b)));
        Assert.That(loaded.Predict(x).ToArray<float>(), Is.EqualTo(model.Predict(x).ToArray<float>()));
        var h1 = model.Fit(x, y, epochs: 2, batchSize: 8, verbose: 0, initialEpoch: 1);
        var h2 = loaded.Fit(x, y, epochs: 2, batchSize: 8, verbose: 0, initialEpoch: 1);
        Assert.That(h2["loss"], Is.EqualTo(h1["loss"]));
        Assert.That(SavingModels.Weights(loaded), Is.EqualTo(SavingModels.Weights(model)));
    }
}
