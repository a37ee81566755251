using System.Text.Json;
using Framework.Layers;
using Framework.Optimizers;
using Framework.Training;

namespace Framework.Tests.Saving;

/// <summary>Pins config.json's shape: Keras 3's .keras schema and Keras's key names.</summary>
public class ModelConfigJsonTests
{
    [Test]
    public void Save_SmallCompiledModel_WritesKerasSchema()
    {
        var model = new Sequential([new Dense(3, activation: "relu", name: "hidden"), new Dropout(0.5, seed: 4, name: "drop"), new Dense(2, name: "out")], inputShape: [5], name: "small");
        model.Compile(new Sgd(0.1, momentum: 0.9), new SparseCategoricalCrossentropy(fromLogits: true), [new Accuracy(AccuracyKind.Sparse), new Precision()]);
        using var dir = new SaveDirectory();

        model.Save(dir.ModelPath);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.In("config.json")));
        var root = json.RootElement;

        Assert.That(root.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "module", "class_name", "config", "build_config", "compile_config" }));
        Assert.That(root.GetProperty("module").GetString(), Is.EqualTo("framework"));
        Assert.That(root.GetProperty("class_name").GetString(), Is.EqualTo("Sequential"));
        var config = root.GetProperty("config");
        Assert.That(config.GetProperty("name").GetString(), Is.EqualTo("small"));
        var layers = config.GetProperty("layers").EnumerateArray().ToList();
        Assert.That(layers.Select(l => l.GetProperty("class_name").GetString()), Is.EqualTo(new[] { "Dense", "Dropout", "Dense" }));
        var hidden = layers[0].GetProperty("config");
        Assert.That(hidden.GetProperty("name").GetString(), Is.EqualTo("hidden"));
        Assert.That(hidden.GetProperty("units").GetInt32(), Is.EqualTo(3));
        Assert.That(hidden.GetProperty("activation").GetString(), Is.EqualTo("relu"));
        Assert.That(hidden.GetProperty("use_bias").GetBoolean(), Is.True);
        Assert.That(hidden.GetProperty("kernel_initializer").GetProperty("class_name").GetString(), Is.EqualTo("GlorotUniform"));
        Assert.That(layers[1].GetProperty("config").GetProperty("rate").GetDouble(), Is.EqualTo(0.5));
        Assert.That(layers[1].GetProperty("config").GetProperty("seed").GetInt64(), Is.EqualTo(4));
        Assert.That(root.GetProperty("build_config").GetProperty("input_shape").EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? -1 : e.GetInt32()), Is.EqualTo(new[] { -1, 5 }));
        var compile = root.GetProperty("compile_config");
        Assert.That(compile.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "optimizer", "loss", "metrics" }));
        Assert.That(compile.GetProperty("optimizer").GetProperty("class_name").GetString(), Is.EqualTo("SGD"));
        var sgd = compile.GetProperty("optimizer").GetProperty("config");
        Assert.That(sgd.GetProperty("learning_rate").GetDouble(), Is.EqualTo(0.1).Within(1e-7));
        Assert.That(sgd.GetProperty("momentum").GetDouble(), Is.EqualTo(0.9).Within(1e-7));
        Assert.That(compile.GetProperty("loss").GetProperty("class_name").GetString(), Is.EqualTo("SparseCategoricalCrossentropy"));
        Assert.That(compile.GetProperty("loss").GetProperty("config").GetProperty("from_logits").GetBoolean(), Is.True);
        Assert.That(compile.GetProperty("metrics").EnumerateArray().Select(m => m.GetProperty("class_name").GetString()),
            Is.EqualTo(new[] { "SparseCategoricalAccuracy", "Precision" }));
        Assert.That(compile.GetProperty("metrics")[1].GetProperty("config").GetProperty("thresholds").GetDouble(), Is.EqualTo(0.5));
    }

    [Test]
    public void Load_ConfigWithNamesAndSettings_RecreatesThem()
    {
        var model = new Sequential([new Dense(3, activation: "tanh", useBias: false, name: "hidden"), new Dense(2, name: "out")], inputShape: [5], name: "small");
        model.Compile(new RmsProp(0.002, rho: 0.8), new CategoricalCrossentropy(labelSmoothing: 0.1), [new Accuracy(AccuracyKind.Categorical), new Recall(0.3)]);
        using var dir = new SaveDirectory();
        model.Save(dir.ModelPath);

        var loaded = (Sequential)Model.Load(dir.ModelPath);

        Assert.That(loaded.Name, Is.EqualTo("small"));
        Assert.That(loaded.Layers.Select(l => l.Name), Is.EqualTo(new[] { "hidden", "out" }));
        Assert.That(((Dense)loaded.Layers[0]).UseBias, Is.False);
        Assert.That(loaded.Layers[0].GetConfig()["activation"], Is.EqualTo("tanh"));
        Assert.That(loaded.BuildShape!.Value.ToArray(), Is.EqualTo(new[] { 1, 5 }));
        Assert.That(loaded.Loss, Is.InstanceOf<CategoricalCrossentropy>());
        Assert.That(loaded.Loss!.GetConfig(), Is.EquivalentTo(model.Loss!.GetConfig()));
        Assert.That(((RmsProp)loaded.Optimizer!).GetConfig()["rho"], Is.EqualTo(0.8).Within(1e-7));
        Assert.That(loaded.Metrics.Select(m => m.Name), Is.EqualTo(new[] { "accuracy", "recall" }));
        Assert.That(((Accuracy)loaded.Metrics[0]).Kind, Is.EqualTo(AccuracyKind.Categorical));
        Assert.That(((Recall)loaded.Metrics[1]).Threshold, Is.EqualTo(0.3));
    }
}
