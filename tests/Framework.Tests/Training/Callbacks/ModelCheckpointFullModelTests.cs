using Framework.Tensors;
using Framework.Tests.Helpers;
using Framework.Tests.Serialization;
using Framework.Training;
using static Framework.Tests.Training.Callbacks.ModelCheckpointTestKit;

namespace Framework.Tests.Training.Callbacks;

/// <summary>Whole-model checkpoints: these need <see cref="Model.Save"/> and <see cref="Model.Load"/>.</summary>
[TestFixtureSource(typeof(TestDevices), nameof(TestDevices.Both))]
public class ModelCheckpointFullModelTests(Device device) : OnDevice(device)
{
    private static string[] Directories(string path) =>
        [.. Directory.GetDirectories(path).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal)];

    [Test]
    public void Fit_WholeModelEveryEpoch_WritesALoadableDirectoryPerEpoch()
    {
        using var dir = new TempDirectory();
        var (x, y) = ToyData.Blobs(32);
        var model = CompiledBuiltIn();
        var weights = new List<List<float[]>>();
        model.Fit(x, y, epochs: 2, verbose: 0, callbacks: [RecordWeights(model, weights), new ModelCheckpoint(dir.File("model-{epoch:02d}"))]);
        Assert.That(Directories(dir.Path), Is.EqualTo(new[] { "model-01", "model-02" }));
        Assert.That(Model.Load(dir.File("model-01")).GetWeightValues(), Is.EqualTo(weights[0]));
    }

    [Test]
    public void Fit_WholeModelBestOnlyTopOneAndLast_KeepsBestAndLastDirectories()
    {
        using var dir = new TempDirectory();
        var (x, y) = ToyData.Blobs(32);
        var model = CompiledBuiltIn();
        var weights = new List<List<float[]>>();
        var checkpoint = new ModelCheckpoint(dir.File("model-{epoch}"), saveBestOnly: true, saveTopK: 1, saveLast: true);
        model.Fit(x, y, epochs: 3, verbose: 0, callbacks: [Fake("val_loss", 2, 1, 3), RecordWeights(model, weights), checkpoint]);
        Assert.That(Directories(dir.Path), Is.EqualTo(new[] { "last", "model-2" }));
        Assert.That(Model.Load(dir.File("model-2")).GetWeightValues(), Is.EqualTo(weights[1]));
        Assert.That(Model.Load(dir.File("last")).GetWeightValues(), Is.EqualTo(weights[2]));
    }

    [Test]
    public void Fit_WholeModelFixedPath_ReplacesTheDirectory()
    {
        using var dir = new TempDirectory();
        var (x, y) = ToyData.Blobs(32);
        var model = CompiledBuiltIn();
        var weights = new List<List<float[]>>();
        var checkpoint = new ModelCheckpoint(dir.File("best"), saveBestOnly: true);
        model.Fit(x, y, epochs: 3, verbose: 0, callbacks: [Fake("val_loss", 3, 2, 1), RecordWeights(model, weights), checkpoint]);
        Assert.That(Directories(dir.Path), Is.EqualTo(new[] { "best" }));
        Assert.That(Model.Load(dir.File("best")).GetWeightValues(), Is.EqualTo(weights[2]));
    }

    [Test]
    public void RestoreLatest_WholeModelNewestDamaged_ReturnsTheNewestValidModel()
    {
        using var dir = new TempDirectory();
        var (x, y) = ToyData.Blobs(32);
        var model = CompiledBuiltIn();
        var weights = new List<List<float[]>>();
        var checkpoint = new ModelCheckpoint(dir.File("model-{epoch}"));
        model.Fit(x, y, epochs: 2, verbose: 0, callbacks: [RecordWeights(model, weights), checkpoint]);
        string data = Directory.GetFiles(dir.File("model-2"), "*.data-*", SearchOption.AllDirectories).Single();
        var bytes = File.ReadAllBytes(data);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(data, bytes);

        ModelCheckpointRestoreResult? result = null;
        string error = CaptureError(() => result = new ModelCheckpoint(dir.File("model-{epoch}")).RestoreLatest(CompiledBuiltIn()));
        Assert.That(result!.Path, Is.EqualTo(dir.File("model-1")));
        Assert.That(error, Does.Contain(dir.File("model-2")).And.Contain("damaged"));
        Assert.That(result.Model.GetWeightValues(), Is.EqualTo(weights[0]));
    }
}
