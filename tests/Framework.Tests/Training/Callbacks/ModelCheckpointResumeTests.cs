using System.Text.Json.Nodes;
using Framework.Tests.Helpers;
using Framework.Tests.Serialization;
using Framework.Training;
using static Framework.Tests.Training.Callbacks.ModelCheckpointTestKit;

namespace Framework.Tests.Training.Callbacks;

public class ModelCheckpointResumeTests
{
    [Test]
    public void GetState_FreshCallback_SurvivesJsonIncludingInfiniteBest()
    {
        var checkpoint = new ModelCheckpoint("ckpt");
        string json = checkpoint.GetState()!.ToJsonString();
        var copy = new ModelCheckpoint("ckpt");
        copy.SetState(JsonNode.Parse(json)!.AsObject());
        Assert.That(copy.Best, Is.EqualTo(double.PositiveInfinity));
        Assert.That(copy.GetState()!.ToJsonString(), Is.EqualTo(json));
    }

    [Test]
    public void SetState_ResumedRun_DoesNotOverwriteABetterModelWithAWorseOne()
    {
        using var dir = new TempDirectory();
        var (x, y) = ToyData.Blobs(32);
        var model = Compiled();
        var weights = new List<List<float[]>>();
        var first = new ModelCheckpoint(dir.File("best"), saveBestOnly: true, saveWeightsOnly: true);
        model.Fit(x, y, epochs: 2, verbose: 0, callbacks: [Fake("val_loss", 2, 1), RecordWeights(model, weights), first]);
        string json = first.GetState()!.ToJsonString();

        var resumed = new ModelCheckpoint(dir.File("best"), saveBestOnly: true, saveWeightsOnly: true);
        resumed.SetState(JsonNode.Parse(json)!.AsObject());
        Assert.That(resumed.GetState()!.ToJsonString(), Is.EqualTo(json));
        model.Fit(x, y, epochs: 3, initialEpoch: 2, verbose: 0, callbacks: [Fake("val_loss", 1.5), resumed]);

        var fresh = FreshBuilt(x);
        fresh.LoadWeights(dir.File("best"));
        Assert.That(fresh.GetWeightValues(), Is.EqualTo(weights[1]), "the epoch-2 model (val_loss 1) must survive the worse epoch 3");
        Assert.That(resumed.Best, Is.EqualTo(1.0));
    }

    [Test]
    public void SetState_PendingValidationValue_IsUsedOnceAfterResume()
    {
        using var dir = new TempDirectory();
        var (x, y) = ToyData.Blobs(32);
        var model = Compiled();
        var every2 = SaveFrequency.EveryBatches(2);
        var first = new ModelCheckpoint(dir.File("e{epoch}-b{batch}"), saveBestOnly: true, saveWeightsOnly: true, saveFreq: every2);
        CaptureError(() => model.Fit(x, y, epochs: 1, batchSize: 8, verbose: 0, callbacks: [Fake("val_loss", 3), first]));
        var resumed = new ModelCheckpoint(dir.File("e{epoch}-b{batch}"), saveBestOnly: true, saveWeightsOnly: true, saveFreq: every2);
        resumed.SetState(JsonNode.Parse(first.GetState()!.ToJsonString())!.AsObject());
        CaptureError(() => model.Fit(x, y, epochs: 2, initialEpoch: 1, batchSize: 8, verbose: 0, callbacks: [resumed]));
        Assert.That(resumed.SavedPaths.Select(Path.GetFileName), Is.EqualTo(new[] { "e2-b2" }));
    }

    [TestCase("flip")]
    [TestCase("truncate")]
    [TestCase("delete-data")]
    [TestCase("delete-index")]
    public void RestoreLatest_NewestDamaged_FallsBackToNewestValidAndSaysSo(string damage)
    {
        using var dir = new TempDirectory();
        var (x, y) = ToyData.Blobs(32);
        var model = Compiled();
        var weights = new List<List<float[]>>();
        var checkpoint = new ModelCheckpoint(dir.File("ckpt-{epoch}"), saveWeightsOnly: true);
        model.Fit(x, y, epochs: 3, verbose: 0, callbacks: [RecordWeights(model, weights), checkpoint]);
        string data = dir.File("ckpt-3.data-00000-of-00001");
        switch (damage)
        {
            case "flip":
                var bytes = File.ReadAllBytes(data);
                bytes[bytes.Length / 2] ^= 0x40;
                File.WriteAllBytes(data, bytes);
                break;
            case "truncate":
                using (var stream = File.Open(data, FileMode.Open)) stream.SetLength(stream.Length / 2);
                break;
            case "delete-data":
                File.Delete(data);
                break;
            default:
                File.Delete(dir.File("ckpt-3.index"));
                break;
        }

        // Once from the callback's own record, once from a new callback that must scan the directory.
        foreach (var restorer in new[] { checkpoint, new ModelCheckpoint(dir.File("ckpt-{epoch}"), saveWeightsOnly: true) })
        {
            var fresh = FreshBuilt(x);
            ModelCheckpointRestoreResult? result = null;
            string error = CaptureError(() => result = restorer.RestoreLatest(fresh));
            Assert.That(result!.Path, Is.EqualTo(dir.File("ckpt-2")));
            Assert.That(result.Skipped.Select(s => s.Path), Is.EqualTo(new[] { dir.File("ckpt-3") }));
            Assert.That(error, Does.Contain(dir.File("ckpt-3")).And.Contain("damaged").And.Contain(result.Skipped[0].Reason));
            Assert.That(fresh.GetWeightValues(), Is.EqualTo(weights[1]));
        }
    }

    [Test]
    public void RestoreLatest_NothingSaved_ReturnsNull()
    {
        using var dir = new TempDirectory();
        Assert.That(new ModelCheckpoint(dir.File("ckpt-{epoch}"), saveWeightsOnly: true).RestoreLatest(Compiled()), Is.Null);
    }

    [Test]
    public void ScenarioA_BestWeightsInAFreshModel_EvaluateReturnsTheBestValLossExactly()
    {
        using var dir = new TempDirectory();
        var (x, y) = ToyData.Blobs(48, seed: 5);
        var (vx, _) = ToyData.Blobs(20, seed: 9);
        // Six of twenty validation labels are wrong: validation loss first falls, then rises as the model grows confident.
        var vy = Framework.Tensors.Tensor.FromArray(Enumerable.Range(0, 20).Select(i => (long)(i < 6 ? 1 - i % 2 : i % 2)).ToArray());
        var model = Compiled(lr: 0.5);
        var checkpoint = new ModelCheckpoint(dir.File("best"), monitor: "val_loss", mode: MonitorMode.Min, saveBestOnly: true, saveWeightsOnly: true);
        var history = model.Fit(x, y, epochs: 6, batchSize: 8, verbose: 0, validationData: (vx, vy), callbacks: [checkpoint]);
        double best = history["val_loss"].Min();
        Assert.That(history["val_loss"][^1], Is.Not.EqualTo(best), "the best epoch should not simply be the last: " + string.Join(", ", history["val_loss"]));

        var fresh = Compiled(lr: 0.5);
        fresh.LoadWeights(dir.File("best"));
        var logs = fresh.Evaluate(vx, vy, batchSize: 8);
        Assert.That(logs["loss"], Is.EqualTo(best));
    }
}
