using Framework.Layers;
using Framework.Optimizers;
using Framework.Tests.Serialization;
using Framework.Tests.Serialization.Checkpoints;
using Framework.Training;

namespace Framework.Tests.Training.Persistence;

/// <summary>ModelCheckpoint writes Keras's files when its path names one (best.weights.h5, model-{epoch:02d}.keras, model.h5).</summary>
public class KerasFileCheckpointTests
{
    private static Sequential Compiled()
    {
        var model = new Sequential([new Dense(6, "relu"), new Dense(3)], inputShape: [4]);
        model.Compile(new Adam(0.01), new MeanSquaredError());
        return model;
    }

    [TestCase("best.weights.h5", true)]
    [TestCase("best.h5", true)]
    [TestCase("model.h5", false)]
    [TestCase("model-{epoch:02d}.keras", false)]
    public void ModelCheckpoint_KerasPaths_WritesLoadableKerasFiles(string template, bool weightsOnly)
    {
        using var dir = new TempDirectory();
        var (x, y) = CheckpointModels.Data();
        var model = Compiled();
        var checkpoint = new ModelCheckpoint(dir.File(template), monitor: "loss", saveWeightsOnly: weightsOnly);
        model.Fit(x, y, epochs: 2, batchSize: 8, verbose: 0, callbacks: [checkpoint]);
        string newest = dir.File(template.Replace("{epoch:02d}", "02", StringComparison.Ordinal));
        Assert.That(File.Exists(newest), Is.True, string.Join(", ", dir.FileNames()));
        Assert.That(dir.FileNames(), Has.None.EndsWith(".index"));
        var restored = weightsOnly ? Compiled() : Model.Load(newest);
        if (weightsOnly) restored.LoadWeights(newest);
        Assert.That(restored.Predict(x).ToArray<float>(), Is.EqualTo(model.Predict(x).ToArray<float>()));
        var fresh = Compiled();
        Assert.That(checkpoint.RestoreLatest(fresh), Is.Not.Null);
    }
}
