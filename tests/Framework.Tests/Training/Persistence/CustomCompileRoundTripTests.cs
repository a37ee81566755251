using Framework.Layers;
using Framework.Optimizers;
using Framework.Tensors;
using Framework.Tests.Serialization;
using Framework.Tests.Serialization.Checkpoints;
using Framework.Training;

namespace Framework.Tests.Training.Persistence;

/// <summary>A custom optimizer, loss and metric registered by name round-trip through a whole-model save in every model
/// format: the loaded model is compiled with instances of the custom types and their configs, the optimizer's slots are
/// restored, and continuing <c>Fit</c> is bit-identical to never having stopped. Unregistered classes fail clearly.</summary>
public class CustomCompileRoundTripTests
{
    private static readonly string[] s_modelPaths = ["model.keras", "model.h5", "model_dir"];

    [OneTimeSetUp]
    public void RegisterCustomClasses() => CustomCompileClasses.Register();

    private static Sequential Trained()
    {
        RandomGenerator.SetGlobalSeed(17);
        var model = new Sequential([new Dense(6, "relu"), new Dropout(0.25, seed: 5), new Dense(3)], inputShape: [4]);
        model.Compile(new HeavyBall(0.03, beta: 0.7) { ClipNorm = 5 }, new ScaledMse(2.5), [new MeanAbsPrediction(0.25, "map")]);
        var (x, y) = CheckpointModels.Data();
        model.Fit(x, y, epochs: 2, batchSize: 8, verbose: 0);
        return model;
    }

    private static float[][] State(Model model) =>
        [.. model.Weights.Select(w => w.Value.ToArray<float>()), .. model.Optimizer!.SlotVariables.Select(s => s.Slot.Value.ToArray<float>())];

    [Test]
    public void SaveLoad_CustomOptimizerLossMetric_CompiledWithThemAndTrainsOnBitIdentically([ValueSource(nameof(s_modelPaths))] string name)
    {
        using var dir = new TempDirectory();
        var (x, y) = CheckpointModels.Data();
        var model = Trained();
        Assert.That(model.Optimizer!.SlotVariables.Select(s => s.Slot.Value.ToArray<float>()).Any(v => v.Any(e => e != 0)), "the velocity holds state worth restoring");
        model.Save(dir.File(name));
        var loaded = Model.Load(dir.File(name));

        var optimizer = loaded.Optimizer as HeavyBall;
        Assert.That(optimizer, Is.Not.Null, "the optimizer is the registered custom type");
        // A .keras file keeps the learning rate as Keras does, a float32 variable; training uses it as a float anyway.
        Assert.That((optimizer!.Beta, (float)optimizer.LearningRate, optimizer.ClipNorm), Is.EqualTo((0.7, 0.03f, (double?)5)));
        Assert.That(loaded.Loss, Is.TypeOf<ScaledMse>().With.Property(nameof(ScaledMse.Scale)).EqualTo(2.5));
        Assert.That(loaded.Metrics, Has.Count.EqualTo(1));
        Assert.That(loaded.Metrics[0], Is.TypeOf<MeanAbsPrediction>().With.Property(nameof(MeanAbsPrediction.Offset)).EqualTo(0.25)
            .And.Property(nameof(Metric.Name)).EqualTo("map"));
        Assert.That(loaded.Predict(x).ToArray<float>(), Is.EqualTo(model.Predict(x).ToArray<float>()));
        Assert.That(optimizer.SlotVariables.Select(s => s.SlotName), Is.EqualTo(model.Optimizer!.SlotVariables.Select(s => s.SlotName)));
        Assert.That(State(loaded), Is.EqualTo(State(model)), "weights and velocity slots as saved");

        var expected = model.Fit(x, y, epochs: 2, batchSize: 8, verbose: 0);
        var resumed = loaded.Fit(x, y, epochs: 2, batchSize: 8, verbose: 0);
        Assert.That(State(loaded), Is.EqualTo(State(model)), "weights and velocity slots after continuing");
        Assert.That(loaded.Optimizer!.Iterations.Value.ToArray<long>(), Is.EqualTo(model.Optimizer!.Iterations.Value.ToArray<long>()));
        Assert.That(resumed["loss"], Is.EqualTo(expected["loss"]));
        Assert.That(resumed["map"], Is.EqualTo(expected["map"]));
    }

    [Test]
    public void Save_UnregisteredLossOrMetric_ThrowsNotSupportedNamingTheRegistryAndWritesNothing()
    {
        using var dir = new TempDirectory();
        var lossModel = new Sequential([new Dense(2)], inputShape: [3]);
        lossModel.Compile(new Sgd(), new UnregisteredLoss());
        var ex = Assert.Throws<NotSupportedException>(() => lossModel.Save(dir.File("a.keras")));
        Assert.That(ex!.Message, Does.Contain(nameof(UnregisteredLoss)).And.Contain("LossRegistry.Register"));

        var metricModel = new Sequential([new Dense(2)], inputShape: [3]);
        metricModel.Compile(new Sgd(), new MeanSquaredError(), [new UnregisteredMetric()]);
        ex = Assert.Throws<NotSupportedException>(() => metricModel.Save(dir.File("b_dir")));
        Assert.That(ex!.Message, Does.Contain(nameof(UnregisteredMetric)).And.Contain("MetricRegistry.Register"));
        Assert.That(Directory.EnumerateFileSystemEntries(dir.Path), Is.Empty);
    }

    [TestCase("HeavyBall", "compile_config.optimizer")]
    [TestCase("ScaledMse", "compile_config.loss")]
    [TestCase("MeanAbsPrediction", "compile_config.metrics[0]")]
    public void Load_UnregisteredClassName_ThrowsNamingFileAndJsonPath(string className, string jsonPath)
    {
        using var dir = new TempDirectory();
        Trained().Save(dir.File("m"));
        string config = Path.Combine(dir.File("m"), "config.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace($"\"{className}\"", "\"NotRegistered\"", StringComparison.Ordinal));
        var ex = Assert.Throws<InvalidDataException>(() => Model.Load(dir.File("m")));
        Assert.That(ex!.Message, Does.Contain("config.json").And.Contain(jsonPath).And.Contain("NotRegistered").And.Contain("Register"));
    }

    [Test]
    public void Registries_NameCustomClassesAndFindThemByNameAndAlias()
    {
        Assert.That(OptimizerFactory.Create("heavyball"), Is.TypeOf<HeavyBall>());
        var clipped = OptimizerFactory.FromConfig(new Dictionary<string, object?> { ["beta"] = 0.5, ["clipvalue"] = 0.1 }, "HeavyBall");
        Assert.That(((HeavyBall)clipped).Beta, Is.EqualTo(0.5));
        Assert.That(clipped.ClipValue, Is.EqualTo(0.1));
        Assert.That(OptimizerRegistry.TryGetClassName(new HeavyBall(), out string optimizerName) && optimizerName == "HeavyBall");
        Assert.That(OptimizerRegistry.TryGetClassName(new Sgd(), out string sgdName) && sgdName == "SGD");
        Assert.That(Losses.Get("scaled_mse"), Is.TypeOf<ScaledMse>());
        Assert.That(Metrics.Get("mean_abs_prediction"), Is.TypeOf<MeanAbsPrediction>());
        Assert.That(MetricRegistry.TryGetClassName(new Accuracy(AccuracyKind.Sparse), out string accuracyName) && accuracyName == "SparseCategoricalAccuracy");
        Assert.That(OptimizerRegistry.RegisteredNames, Is.SupersetOf(new[] { "Adam", "AdamW", "SGD", "RMSprop", "Adadelta", "Adagrad", "Adamax", "Nadam", "HeavyBall" }));
    }

    [Test]
    public void Register_NameTakenByAnotherType_Throws()
    {
        Assert.Throws<ArgumentException>(() => OptimizerRegistry.Register("Adam", HeavyBall.FromConfig));
        Assert.Throws<ArgumentException>(() => LossRegistry.Register("MeanSquaredError", ScaledMse.FromConfig));
        Assert.Throws<ArgumentException>(() => MetricRegistry.Register("Precision", MeanAbsPrediction.FromConfig));
        Assert.Throws<ArgumentException>(() => LossRegistry.Register("OtherName", ScaledMse.FromConfig));
        Assert.Throws<ArgumentException>(() => LossRegistry.Register("ScaledMse", ScaledMse.FromConfig, "mse"));
        var unknown = Assert.Throws<ArgumentException>(() => OptimizerFactory.Create("ftrl"));
        Assert.That(unknown!.Message, Does.Contain("adadelta, adagrad, adam, adamax, adamw, nadam, rmsprop, sgd, heavyball"));
    }

    private sealed class UnregisteredLoss() : Loss("unregistered")
    {
        public override Tensor Compute(Tensor targets, Tensor predictions) => (targets - predictions).Square().Mean();
    }

    private sealed class UnregisteredMetric() : Metric("unregistered")
    {
        public override void Update(Tensor targets, Tensor predictions)
        {
        }

        public override double Result() => 0;

        public override void Reset()
        {
        }
    }
}
