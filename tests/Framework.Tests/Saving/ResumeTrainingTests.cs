using Framework.Layers;
using Framework.Optimizers;
using Framework.Tensors;
using Framework.Training;

namespace Framework.Tests.Saving;

/// <summary>Scenario b of issue 5: Save, Load, and continuing Fit equals the uninterrupted run.</summary>
public class ResumeTrainingTests
{
    private static Sequential Compiled()
    {
        var model = new Sequential([new Dense(16, activation: "relu"), new Dropout(0.25), new Dense(8, activation: "relu"), new Dropout(0.1), new Dense(2)], inputShape: [4]);
        model.Compile(new Adam(new ExponentialDecay(0.01, 5, 0.9)), new SparseCategoricalCrossentropy(fromLogits: true), [new Accuracy()]);
        return model;
    }

    [Test]
    public void Fit_AfterSaveAndLoad_EqualsUninterruptedRun()
    {
        var (x, y) = Helpers.ToyData.Blobs(64);

        RandomGenerator.SetGlobalSeed(2024);
        var uninterrupted = Compiled();
        var full = uninterrupted.Fit(x, y, epochs: 3, batchSize: 8, verbose: 0);

        RandomGenerator.SetGlobalSeed(2024);
        var first = Compiled();
        var head = first.Fit(x, y, epochs: 2, batchSize: 8, verbose: 0);
        using var dir = new SaveDirectory();
        first.Save(dir.ModelPath);
        // Whatever the global stream does between the runs must not matter: everything training draws is in the save.
        RandomGenerator.SetGlobalSeed(999);
        var resumed = Model.Load(dir.ModelPath);
        var tail = resumed.Fit(x, y, epochs: 3, batchSize: 8, verbose: 0, initialEpoch: 2);

        Assert.That(head["loss"], Is.EqualTo(full["loss"].Take(2)));
        Assert.That(tail["loss"].Single(), Is.EqualTo(full["loss"][2]));
        Assert.That(SavingModels.Weights(resumed), Is.EqualTo(SavingModels.Weights(uninterrupted)));
        Assert.That(resumed.Optimizer!.Iterations.Value.Item<long>(), Is.EqualTo(uninterrupted.Optimizer!.Iterations.Value.Item<long>()));
        Assert.That(resumed.ShuffleGenerator.GetState(), Is.EqualTo(uninterrupted.ShuffleGenerator.GetState()));
    }

    [Test]
    public void Load_ModelThatNeverShuffled_DoesNotSaveOrCreateAShuffleStream()
    {
        var model = Compiled();
        using var dir = new SaveDirectory();
        model.Save(dir.ModelPath);

        using var reader = new Framework.Serialization.CheckpointReader(dir.In("variables", "variables"));
        Assert.That(reader.ListVariables().Select(v => v.Key), Has.None.Contains("/shuffle/"));
        Assert.That(reader.ListVariables().Select(v => v.Key), Has.Some.Contains("framework_training_state/dropout-1/"));
        Assert.That(() => Model.Load(dir.ModelPath), Throws.Nothing);
    }
}
