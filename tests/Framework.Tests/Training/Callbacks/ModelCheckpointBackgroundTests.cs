using Framework.Layers;
using Framework.Optimizers;
using Framework.Serialization;
using Framework.Tensors;
using Framework.Tests.Serialization;
using Framework.Training;

namespace Framework.Tests.Training.Callbacks;

/// <summary>ModelCheckpoint's background writes: the same files as synchronous saves, and failures are not lost.</summary>
public class ModelCheckpointBackgroundTests
{
    private static Sequential NewModel()
    {
        RandomGenerator.SetGlobalSeed(21);
        var model = new Sequential([new Dense(6, activation: "relu"), new Dropout(0.2), new Dense(2)]);
        model.Compile(new Adam(0.01), new SparseCategoricalCrossentropy(fromLogits: true), [new Accuracy()]);
        return model;
    }

    private static Dictionary<string, string> Tensors(string prefix)
    {
        using var reader = new CheckpointReader(prefix);
        return reader.ListVariables().Where(v => v.Key != "_CHECKPOINTABLE_OBJECT_GRAPH").ToDictionary(v => v.Key, v => Convert.ToHexString(reader.GetRawBytes(v.Key)));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Fit_BackgroundOrNot_WritesTheSameCheckpointsAsTheWeightsOfEachEpoch(bool weightsOnly)
    {
        using var dir = new TempDirectory();
        var (x, y) = Helpers.ToyData.Blobs(64);
        string Template(string mode) => dir.File(mode + "/e{epoch}");
        var background = new ModelCheckpoint(Template("bg"), saveWeightsOnly: weightsOnly);
        var synchronous = new ModelCheckpoint(Template("sync"), saveWeightsOnly: weightsOnly) { SaveInBackground = false };
        var epochWeights = new List<List<float[]>>();
        var model = NewModel();
        model.Fit(x, y, epochs: 3, batchSize: 8, verbose: 0, callbacks:
            [background, synchronous, new LambdaCallback { EpochEnd = (_, _) => epochWeights.Add(model.GetWeightValues()) }]);

        for (int epoch = 1; epoch <= 3; epoch++)
        {
            string suffix = weightsOnly ? "" : "/variables/variables";
            var written = Tensors(dir.File($"bg/e{epoch}{suffix}"));
            Assert.That(written, Is.EqualTo(Tensors(dir.File($"sync/e{epoch}{suffix}"))), $"epoch {epoch}");
            var restored = NewModel();
            if (weightsOnly) restored.LoadWeights(dir.File($"bg/e{epoch}"));
            else restored = (Sequential)Model.Load(dir.File($"bg/e{epoch}"));
            restored.Predict(x);
            Assert.That(restored.GetWeightValues(), Is.EqualTo(epochWeights[epoch - 1]), $"epoch {epoch} holds that epoch's weights");
        }
    }

    [Test]
    public void Fit_BackgroundWriteFails_FitThrowsIt()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("not-a-directory"), "");
        var (x, y) = Helpers.ToyData.Blobs(32);
        var checkpoint = new ModelCheckpoint(dir.File("not-a-directory/sub/w{epoch}"), saveWeightsOnly: true);
        Assert.Catch<IOException>(() => NewModel().Fit(x, y, epochs: 2, batchSize: 8, verbose: 0, callbacks: [checkpoint]));
    }

    private sealed class CrashException : Exception;

    [Test]
    public void Fit_FailsAfterASavePoint_TheSaveStillReachesTheDisk()
    {
        using var dir = new TempDirectory();
        var (x, y) = Helpers.ToyData.Blobs(32);
        var checkpoint = new ModelCheckpoint(dir.File("w{epoch}"), saveWeightsOnly: true);
        var crash = new LambdaCallback { EpochEnd = (epoch, _) => { if (epoch == 1) throw new CrashException(); } };
        Assert.Throws<CrashException>(() => NewModel().Fit(x, y, epochs: 3, batchSize: 8, verbose: 0, callbacks: [checkpoint, crash]));
        Assert.That(File.Exists(dir.File("w2.index")), Is.True, "the epoch-2 save point was written before Fit's exception left");
        BundleCheck.AssertValid(dir.File("w2"));
    }

    [Test]
    public void Fit_FailsWhileABackgroundWriteFails_ReportsFitsExceptionAndLeavesNothingPending()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("not-a-directory"), "");
        var (x, y) = Helpers.ToyData.Blobs(32);
        var checkpoint = new ModelCheckpoint(dir.File("not-a-directory/w{epoch}"), saveWeightsOnly: true);
        var crash = new LambdaCallback { EpochEnd = (_, _) => throw new CrashException() };
        var original = Console.Error;
        using var error = new StringWriter();
        Console.SetError(error);
        try
        {
            Assert.Throws<CrashException>(() => NewModel().Fit(x, y, epochs: 2, batchSize: 8, verbose: 0, callbacks: [checkpoint, crash]));
        }
        finally
        {
            Console.SetError(original);
        }
        Assert.That(error.ToString(), Does.Contain("ModelCheckpoint: the last save point's write failed as well"));
        Assert.DoesNotThrow(checkpoint.Flush, "the failed write was consumed, not left for the next Fit to report");
    }
}
