using Framework.Tensors;
using Framework.Serialization;
using Framework.Tests.Helpers;
using Framework.Tests.Serialization;
using Framework.Training;
using static Framework.Tests.Training.Callbacks.ModelCheckpointTestKit;

namespace Framework.Tests.Training.Callbacks;

[TestFixtureSource(typeof(TestDevices), nameof(TestDevices.Both))]
public class ModelCheckpointTests(Device device) : OnDevice(device)
{
    [Test]
    public void Constructor_InvalidTemplate_ThrowsNamingTheTemplate()
    {
        var e = Assert.Throws<ArgumentException>(() => new ModelCheckpoint("runs/ckpt-{epoch:02q}"))!;
        Assert.That(e.Message, Does.Contain("'runs/ckpt-{epoch:02q}'").And.Contain("02q"));
    }

    [Test]
    public void Constructor_BatchPlaceholderWithPerEpochSaving_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new ModelCheckpoint("runs/ckpt-{batch}"))!;
        Assert.That(e.Message, Does.Contain("{batch}").And.Contain("EveryBatches"));
        Assert.DoesNotThrow(() => _ = new ModelCheckpoint("runs/ckpt-{batch}", saveFreq: SaveFrequency.EveryBatches(3)));
    }

    [Test]
    public void Constructor_ExistingDirectoryAsWeightsPrefix_Throws()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<ArgumentException>(() => new ModelCheckpoint(dir.Path, saveWeightsOnly: true))!;
        Assert.That(e.Message, Does.Contain(dir.Path).And.Contain("directory"));
    }

    [Test]
    public void Constructor_NonPositiveTopK_ThrowsWithValue()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ModelCheckpoint("ckpt", saveTopK: 0))!;
        Assert.That(e.Message, Does.Contain("saveTopK=0"));
    }

    [TestCase("val_loss", MonitorMode.Min)]
    [TestCase("val_accuracy", MonitorMode.Max)]
    [TestCase("val_auc", MonitorMode.Max)]
    public void Constructor_AutoMode_ResolvesFromName(string monitor, MonitorMode expected) =>
        Assert.That(new ModelCheckpoint("ckpt", monitor).Mode, Is.EqualTo(expected));

    [Test]
    public void Fit_EveryEpoch_WritesABundlePerEpochInCreatedDirectories()
    {
        using var dir = new TempDirectory();
        var (x, y) = ToyData.Blobs(32);
        var model = Compiled();
        var weights = new List<List<float[]>>();
        string sub = Path.Combine(dir.Path, "a", "b");
        model.Fit(x, y, epochs: 3, batchSize: 8, verbose: 0,
            callbacks: [RecordWeights(model, weights), new ModelCheckpoint(Path.Combine(sub, "ckpt-{epoch:02d}-{loss:.3f}"), saveWeightsOnly: true)]);
        var bundles = Files(sub).Where(f => f.EndsWith(".index", StringComparison.Ordinal)).ToArray();
        Assert.That(bundles, Has.Length.EqualTo(3));
        Assert.That(bundles[0], Does.Match(@"^ckpt-01-\d\.\d{3}\.index$"));
        Assert.That(Files(sub), Does.Contain(CheckpointState.FileName));
        Assert.That(CheckpointState.LatestCheckpoint(sub), Does.Contain("ckpt-03-"));
        var fresh = FreshBuilt(x);
        fresh.LoadWeights(Path.Combine(sub, bundles[1][..^".index".Length]));
        Assert.That(fresh.GetWeightValues(), Is.EqualTo(weights[1]));
    }

    [Test]
    public void Fit_SaveBestOnlyMin_SavesOnlyImprovements()
    {
        using var dir = new TempDirectory();
        var (x, y) = ToyData.Blobs(32);
        var checkpoint = new ModelCheckpoint(dir.File("ckpt-{epoch}-{val_loss:.1f}"), saveBestOnly: true, saveWeightsOnly: true, mode: MonitorMode.Min);
        Compiled().Fit(x, y, epochs: 5, verbose: 0, callbacks: [Fake("val_loss", 3, 2, 2.5, 1, 1.5), checkpoint]);
        Assert.That(checkpoint.SavedPaths.Select(Path.GetFileName), Is.EqualTo(new[] { "ckpt-1-3.0", "ckpt-2-2.0", "ckpt-4-1.0" }));
        Assert.That(checkpoint.Best, Is.EqualTo(1.0));
    }

    [Test]
    public void Fit_SaveBestOnlyAutoAccuracy_SavesIncreases()
    {
        using var dir = new TempDirectory();
        var (x, y) = ToyData.Blobs(32);
        var checkpoint = new ModelCheckpoint(dir.File("ckpt-{epoch}"), monitor: "val_accuracy", saveBestOnly: true, saveWeightsOnly: true);
        Compiled().Fit(x, y, epochs: 4, verbose: 0, callbacks: [Fake("val_accuracy", 0.5, 0.7, 0.6, 0.8), checkpoint]);
        Assert.That(checkpoint.SavedPaths.Select(Path.GetFileName), Is.EqualTo(new[] { "ckpt-1", "ckpt-2", "ckpt-4" }));
        Assert.That(checkpoint.Best, Is.EqualTo(0.8));
    }

    [Test]
    public void Fit_InitialValueThreshold_SavesOnlyBetterValues()
    {
        using var dir = new TempDirectory();
        var (x, y) = ToyData.Blobs(32);
        var checkpoint = new ModelCheckpoint(dir.File("ckpt-{epoch}"), saveBestOnly: true, saveWeightsOnly: true, initialValueThreshold: 1.5);
        Compiled().Fit(x, y, epochs: 3, verbose: 0, callbacks: [Fake("val_loss", 3, 2, 1), checkpoint]);
        Assert.That(checkpoint.SavedPaths.Select(Path.GetFileName), Is.EqualTo(new[] { "ckpt-3" }));
    }

    [Test]
    public void Fit_MonitorMissing_WarnsNamingKeysAndSkips()
    {
        using var dir = new TempDirectory();
        var (x, y) = ToyData.Blobs(32);
        var checkpoint = new ModelCheckpoint(dir.File("ckpt-{epoch}"), saveBestOnly: true, saveWeightsOnly: true);
        string error = CaptureError(() => Compiled().Fit(x, y, epochs: 2, verbose: 0, callbacks: [checkpoint]));
        Assert.That(error, Does.Contain("'val_loss'").And.Contain("loss, accuracy").And.Contain("skipping"));
        Assert.That(Files(dir.Path), Is.Empty);
    }

    [Test]
    public void Fit_TemplateKeyMissing_ThrowsListingAvailableKeys()
    {
        using var dir = new TempDirectory();
        var (x, y) = ToyData.Blobs(32);
        var e = Assert.Throws<KeyNotFoundException>(() =>
            Compiled().Fit(x, y, epochs: 1, verbose: 0, callbacks: [new ModelCheckpoint(dir.File("ckpt-{val_acc:.2f}"), saveWeightsOnly: true)]))!;
        Assert.That(e.Message, Does.Contain("'val_acc'").And.Contain("loss, accuracy, epoch"));
    }

    [Test]
    public void Fit_EveryThreeBatches_CountsAcrossEpochsAndNamesOneBased()
    {
        using var dir = new TempDirectory();
        var (x, y) = ToyData.Blobs(32);
        var checkpoint = new ModelCheckpoint(dir.File("e{epoch:02d}-b{batch}"), saveWeightsOnly: true, saveFreq: SaveFrequency.EveryBatches(3));
        // 4 batches per epoch: batches 3 and 6 of the run are batch 3 of epoch 1 and batch 2 of epoch 2.
        Compiled().Fit(x, y, epochs: 2, batchSize: 8, verbose: 0, callbacks: [checkpoint]);
        Assert.That(checkpoint.SavedPaths.Select(Path.GetFileName), Is.EqualTo(new[] { "e01-b3", "e02-b2" }));
    }

    [Test]
    public void Fit_EveryNBatchesMonitoringValidation_UsesEachValidationValueOnce()
    {
        using var dir = new TempDirectory();
        var (x, y) = ToyData.Blobs(32);
        var checkpoint = new ModelCheckpoint(dir.File("e{epoch}-b{batch}-{val_loss:.1f}"), saveBestOnly: true, saveWeightsOnly: true,
            saveFreq: SaveFrequency.EveryBatches(2));
        string error = CaptureError(() => Compiled().Fit(x, y, epochs: 3, batchSize: 8, verbose: 0, callbacks: [Fake("val_loss", 3, 2, 1), checkpoint]));
        // Saves at batches 2 and 4 of each epoch: epoch 1 has no validation value yet; each later epoch's first save
        // uses the previous epoch's value and its second save has none (a stale value would be judged twice).
        Assert.That(checkpoint.SavedPaths.Select(Path.GetFileName), Is.EqualTo(new[] { "e2-b2-3.0", "e3-b2-2.0" }));
        Assert.That(error.Split('\n').Count(l => l.Contains("skipping", StringComparison.Ordinal)), Is.EqualTo(4));
    }
}
