using Framework.Optimizers;
using Framework.Serialization;
using Framework.Tensors;
using Framework.Training;

namespace Framework.Tests.Saving;

public class ModelSaveRoundTripTests
{
    private static IEnumerable<TestCaseData> Optimizers()
    {
        yield return new TestCaseData((Func<Optimizer>)(() => new Adam(0.01))).SetName("Adam");
        yield return new TestCaseData((Func<Optimizer>)(() => new Sgd(0.05, momentum: 0.9, nesterov: true))).SetName("SgdMomentum");
        yield return new TestCaseData((Func<Optimizer>)(() => new RmsProp(0.01, momentum: 0.5, centered: true))).SetName("RmsProp");
        yield return new TestCaseData((Func<Optimizer>)(() => new AdamW(0.01, weightDecay: 0.01))).SetName("AdamW");
        yield return new TestCaseData((Func<Optimizer>)(() => new Adam(new ExponentialDecay(0.02, 3, 0.5)))).SetName("AdamWithSchedule");
        yield return new TestCaseData((Func<Optimizer>)(() => new Adadelta(1.0))).SetName("Adadelta");
        yield return new TestCaseData((Func<Optimizer>)(() => new Adagrad(0.05, initialAccumulatorValue: 0.2))).SetName("Adagrad");
        yield return new TestCaseData((Func<Optimizer>)(() => new Adamax(0.01))).SetName("Adamax");
        yield return new TestCaseData((Func<Optimizer>)(() => new Nadam(0.01))).SetName("Nadam");
    }

    [TestCaseSource(nameof(Optimizers))]
    public void Load_TrainedModel_PredictsAndTrainsOnBitIdentically(Func<Optimizer> optimizer)
    {
        RandomGenerator.SetGlobalSeed(5);
        var (x, y) = SavingModels.Data();
        var model = SavingModels.Mixed();
        model.Compile(optimizer(), new SparseCategoricalCrossentropy(fromLogits: true), [new Accuracy()]);
        model.Fit(x, y, epochs: 1, batchSize: 16, verbose: 0);
        using var dir = new SaveDirectory();

        model.Save(dir.ModelPath);
        var loaded = Model.Load(dir.ModelPath);

        Assert.That(loaded, Is.InstanceOf<Sequential>());
        Assert.That(loaded.IsCompiled, Is.True);
        Assert.That(loaded.Optimizer!.GetType(), Is.EqualTo(model.Optimizer!.GetType()));
        Assert.That(loaded.Optimizer.GetConfig(), Is.EquivalentTo(model.Optimizer.GetConfig()));
        Assert.That(SavingModels.Predictions(loaded, x), Is.EqualTo(SavingModels.Predictions(model, x)));
        Assert.That(loaded.Optimizer.Iterations.Value.Item<long>(), Is.EqualTo(3));
        // One more epoch on both: equal only if slots, iterations, dropout masks and the shuffle order were all restored.
        var h1 = model.Fit(x, y, epochs: 2, batchSize: 16, verbose: 0, initialEpoch: 1);
        var h2 = loaded.Fit(x, y, epochs: 2, batchSize: 16, verbose: 0, initialEpoch: 1);
        Assert.That(SavingModels.Weights(loaded), Is.EqualTo(SavingModels.Weights(model)));
        Assert.That(h2["loss"], Is.EqualTo(h1["loss"]));
    }

    [Test]
    public void Load_UncompiledModel_LoadsUncompiledWithSameWeights()
    {
        var model = SavingModels.Mixed();
        using var dir = new SaveDirectory();
        model.Save(dir.ModelPath);

        var loaded = Model.Load(dir.ModelPath);

        Assert.That(loaded.IsCompiled, Is.False);
        Assert.That(loaded.Optimizer, Is.Null);
        Assert.That(SavingModels.Weights(loaded), Is.EqualTo(SavingModels.Weights(model)));
        Assert.That(File.ReadAllText(dir.In("config.json")), Does.Not.Contain("compile_config"));
    }

    [Test]
    public void Load_CompiledButNeverTrained_LoadsCompiledWithoutSlots()
    {
        var model = SavingModels.Mixed();
        model.Compile("adam", "sparse_categorical_crossentropy", ["accuracy"]);
        using var dir = new SaveDirectory();
        model.Save(dir.ModelPath);

        var loaded = Model.Load(dir.ModelPath);

        Assert.That(loaded.IsCompiled, Is.True);
        Assert.That(loaded.Optimizer!.IsBuilt, Is.False);
        Assert.That(loaded.Metrics.Select(m => m.Name), Is.EqualTo(new[] { "accuracy" }));
    }

    [Test]
    public void Save_VariablesHoldSaveWeightsKeysPlusTrainingStreams()
    {
        var (x, y) = SavingModels.Data();
        var model = SavingModels.Mixed();
        model.Compile(new Adam(), new SparseCategoricalCrossentropy(fromLogits: true));
        model.Fit(x, y, epochs: 1, batchSize: 16, verbose: 0);
        using var dir = new SaveDirectory();
        model.Save(dir.ModelPath);
        model.SaveWeights(Path.Combine(dir.Root, "weights"));

        string[] Keys(string prefix)
        {
            using var reader = new CheckpointReader(prefix);
            return [.. reader.ListVariables().Select(v => v.Key).Where(k => k != CheckpointKey.ObjectGraphKey)];
        }
        var weightKeys = Keys(Path.Combine(dir.Root, "weights"));
        var savedKeys = Keys(dir.In("variables", "variables"));

        Assert.That(savedKeys.Except(weightKeys), Is.EquivalentTo(new[]
        {
            "framework_training_state/dropout-0/.ATTRIBUTES/VARIABLE_VALUE",
            "framework_training_state/shuffle/_state_var/.ATTRIBUTES/VARIABLE_VALUE",
        }));
        Assert.That(weightKeys.Except(savedKeys), Is.Empty);
        Assert.That(Directory.GetFiles(dir.In("variables")).Select(Path.GetFileName),
            Is.EquivalentTo(new[] { "variables.index", "variables.data-00000-of-00001" }));
    }

    [Test]
    public void Save_UserMetadata_ReadBackWithVersionAndDate()
    {
        var model = SavingModels.Mixed();
        using var dir = new SaveDirectory();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        model.Save(dir.ModelPath, new Dictionary<string, string> { ["dataset"] = "blobs", ["run"] = "7" });
        var metadata = Model.ReadMetadata(dir.ModelPath);

        Assert.That(metadata.UserMetadata, Is.EquivalentTo(new Dictionary<string, string> { ["dataset"] = "blobs", ["run"] = "7" }));
        Assert.That(metadata.FrameworkVersion, Is.EqualTo(SavedModelMetadataVersion()).And.Not.Empty);
        Assert.That(metadata.DateSaved, Is.InRange(before, DateTimeOffset.UtcNow.AddSeconds(1)));
        Assert.That(File.ReadAllText(dir.In("metadata.json")), Does.Contain("\"date_saved\"").And.Contain("Z\""));
    }

    private static string SavedModelMetadataVersion() => Framework.Training.Saving.SavedModelMetadata.CurrentFrameworkVersion;
}
