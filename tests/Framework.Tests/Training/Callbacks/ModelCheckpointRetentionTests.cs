using Framework.Serialization;
using Framework.Tests.Helpers;
using Framework.Tests.Serialization;
using Framework.Training;
using static Framework.Tests.Training.Callbacks.ModelCheckpointTestKit;

namespace Framework.Tests.Training.Callbacks;

public class ModelCheckpointRetentionTests
{
    [Test]
    public void Fit_SaveTopKTwo_KeepsTheTwoBestFilesAndAConsistentStateFile()
    {
        using var dir = new TempDirectory();
        var (x, y) = ToyData.Blobs(32);
        var checkpoint = new ModelCheckpoint(dir.File("ckpt-{epoch}"), saveWeightsOnly: true, saveTopK: 2);
        Compiled().Fit(x, y, epochs: 5, verbose: 0, callbacks: [Fake("val_loss", 5, 3, 4, 1, 2), checkpoint]);
        Assert.That(Files(dir.Path), Is.EqualTo((string[])[CheckpointState.FileName, .. Bundle("ckpt-4"), .. Bundle("ckpt-5")]));
        var state = CheckpointState.Load(dir.Path)!;
        Assert.That(state.ModelCheckpointPath, Is.EqualTo("ckpt-5"));
        Assert.That(state.AllModelCheckpointPaths, Is.EqualTo(new[] { "ckpt-4", "ckpt-5" }));
    }

    [Test]
    public void Fit_SaveTopK_NeverDeletesFilesItDidNotWrite()
    {
        using var dir = new TempDirectory();
        var (x, y) = ToyData.Blobs(32);
        var other = Compiled();
        other.Fit(x, y, epochs: 1, verbose: 0);
        other.SaveWeights(dir.File("ckpt-0"));
        var checkpoint = new ModelCheckpoint(dir.File("ckpt-{epoch}"), saveWeightsOnly: true, saveTopK: 1);
        Compiled().Fit(x, y, epochs: 3, verbose: 0, callbacks: [Fake("val_loss", 3, 2, 1), checkpoint]);
        Assert.That(Files(dir.Path), Is.EqualTo((string[])[CheckpointState.FileName, .. Bundle("ckpt-0"), .. Bundle("ckpt-3")]));
    }

    [Test]
    public void Fit_SaveLast_WritesTheLatestModelUnderAStableName()
    {
        using var dir = new TempDirectory();
        var (x, y) = ToyData.Blobs(32);
        var model = Compiled();
        var weights = new List<List<float[]>>();
        var checkpoint = new ModelCheckpoint(dir.File("best-{epoch}"), saveBestOnly: true, saveWeightsOnly: true, saveLast: true);
        model.Fit(x, y, epochs: 2, verbose: 0, callbacks: [Fake("val_loss", 2, 3), RecordWeights(model, weights), checkpoint]);
        Assert.That(Files(dir.Path), Is.EqualTo((string[])[.. Bundle("best-1"), CheckpointState.FileName, .. Bundle("last")]));
        Assert.That(CheckpointState.LatestCheckpoint(dir.Path), Is.EqualTo(dir.File("last")));
        var fresh = FreshBuilt(x);
        fresh.LoadWeights(dir.File("last"));
        Assert.That(fresh.GetWeightValues(), Is.EqualTo(weights[1]));
        fresh.LoadWeights(dir.File("best-1"));
        Assert.That(fresh.GetWeightValues(), Is.EqualTo(weights[0]));
    }

    [Test]
    public void Fit_FixedPathBestOnly_ReplacesTheFileWithoutLeftovers()
    {
        using var dir = new TempDirectory();
        var (x, y) = ToyData.Blobs(32);
        var model = Compiled();
        var weights = new List<List<float[]>>();
        var checkpoint = new ModelCheckpoint(dir.File("best"), saveBestOnly: true, saveWeightsOnly: true, saveLast: true, saveTopK: 1);
        model.Fit(x, y, epochs: 3, verbose: 0, callbacks: [Fake("val_loss", 3, 1, 2), RecordWeights(model, weights), checkpoint]);
        Assert.That(Files(dir.Path), Is.EqualTo((string[])[.. Bundle("best"), CheckpointState.FileName, .. Bundle("last")]));
        var fresh = FreshBuilt(x);
        fresh.LoadWeights(dir.File("best"));
        Assert.That(fresh.GetWeightValues(), Is.EqualTo(weights[1]));
        Assert.That(CheckpointState.Load(dir.Path)!.AllModelCheckpointPaths, Is.EqualTo(new[] { "best", "last" }));
    }
}
