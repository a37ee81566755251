using Framework.Layers;
using Framework.Optimizers;
using Framework.Serialization;
using Framework.Tensors;
using Framework.Training;

namespace Framework.Tests.Serialization.Checkpoints;

/// <summary>A frozen copy of an object graph writes the checkpoint the live graph would have written at the moment of the copy.</summary>
public class FrozenGraphTests
{
    private static Sequential TrainedModel()
    {
        RandomGenerator.SetGlobalSeed(9);
        var model = new Sequential([new Dense(5, activation: "relu"), new Dropout(0.1), new Dense(2)]);
        model.Compile(new Adam(0.01), new SparseCategoricalCrossentropy(fromLogits: true));
        var (x, y) = Helpers.ToyData.Blobs(16);
        model.TrainOnBatch(x, y);
        return model;
    }

    private static Dictionary<string, string> Contents(string prefix)
    {
        using var reader = new CheckpointReader(prefix);
        return reader.ListVariables().ToDictionary(v => v.Key, v => Convert.ToHexString(reader.GetRawBytes(v.Key)));
    }

    [Test]
    public void Capture_ThenTrainOn_WritesTheValuesAndGraphOfTheMomentOfCapture()
    {
        using var dir = new TempDirectory();
        var model = TrainedModel();
        Checkpoint.WriteObject(model, dir.File("live"));
        using var frozen = FrozenGraph.Capture(model);
        var (x, y) = Helpers.ToyData.Blobs(16, seed: 4);
        model.TrainOnBatch(x, y);   // changes every weight, slot and the iteration counter
        Checkpoint.WriteObject(frozen.Root, dir.File("frozen"));

        var live = Contents(dir.File("live"));
        Assert.That(live.Keys, Does.Contain("optimizer/iter/.ATTRIBUTES/VARIABLE_VALUE"));
        Assert.That(live.Keys.Count(k => k.Contains(".OPTIMIZER_SLOT", StringComparison.Ordinal)), Is.EqualTo(8));
        Assert.That(Contents(dir.File("frozen")), Is.EqualTo(live), "same keys, same values, same object graph");
        BundleCheck.AssertValid(dir.File("frozen"));
    }

    [Test]
    public void Capture_SharedVariable_StaysOneNode()
    {
        var shared = new Variable(Tensor.Scalar(3f), "shared", trainable: false);
        var root = new Checkpoint(("a", shared), ("b", shared));
        using var dir = new TempDirectory();
        using var frozen = FrozenGraph.Capture(root);
        Checkpoint.WriteObject(frozen.Root, dir.File("c"));
        Assert.That(Contents(dir.File("c")).Keys.Count(k => k.EndsWith("VARIABLE_VALUE", StringComparison.Ordinal)), Is.EqualTo(1));
    }
}
