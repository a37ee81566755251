using System.Text.Json;
using Framework.Layers;
using Framework.Optimizers;
using Framework.Tensors;
using Framework.Tests.Serialization;
using Framework.Training;

namespace Framework.Tests.Training.Resume;

/// <summary>Regression tests from a review of exact resume: a changed learning rate, a retry in the same process, a stop
/// mid-epoch, and a background save pending when Fit fails.</summary>
public class ResumeEdgeCaseTests
{
    private sealed class CrashException : Exception;

    private static (Tensor X, Tensor Y) Data()
    {
        var generator = new RandomGenerator(5);
        var x = Tensor.RandomNormal([200, 6], generator: generator);
        var y = Tensor.FromArray(Enumerable.Range(0, 200).Select(_ => (long)generator.NextInt(3)).ToArray());
        return (x, y);
    }

    private static Sequential NewModel()
    {
        RandomGenerator.SetGlobalSeed(17);
        var model = new Sequential([new Dense(16, activation: "relu"), new Dense(3)]);
        model.Compile(new Sgd(0.1), new SparseCategoricalCrossentropy(fromLogits: true), [new Accuracy()]);
        return model;
    }

    private static (string History, float[][] W) RunLr(string? backup, int? crashEpoch, Sequential? model = null)
    {
        var (x, y) = Data();
        model ??= NewModel();
        var crash = new LambdaCallback { EpochEnd = (e, _) => { if (e == crashEpoch) throw new CrashException(); } };
        List<Callback> callbacks = [new ReduceLROnPlateau(monitor: "loss", factor: 0.3, patience: 1, minDelta: 100)];
        if (backup is not null) callbacks.Add(new BackupAndRestore(backup));
        callbacks.Add(crash);
        var history = model.Fit(x, y, epochs: 6, batchSize: 16, verbose: 0, shuffle: true, callbacks: callbacks);
        return (JsonSerializer.Serialize(new { history.Epochs, history.Values }), [.. model.GetWeightValues()]);
    }

    [Test]
    public void ReduceLR_Resume_HistoryAndWeightsMatch()
    {
        var expected = RunLr(null, null);
        using var dir = new TempDirectory();
        string backup = dir.File("backup");
        Assert.Throws<CrashException>(() => RunLr(backup, 3));
        var actual = RunLr(backup, null);
        TestContext.Out.WriteLine(expected.History);
        TestContext.Out.WriteLine(actual.History);
        for (int i = 0; i < expected.W.Length; i++) Assert.That(actual.W[i], Is.EqualTo(expected.W[i]), $"weight {i}");
        Assert.That(actual.History, Is.EqualTo(expected.History));
    }

    [Test]
    public void ReduceLR_SameProcessRetry_SameModel_Resumes()
    {
        using var dir = new TempDirectory();
        string backup = dir.File("backup");
        var model = NewModel();
        Assert.Throws<CrashException>(() => RunLr(backup, 3, model));
        Assert.DoesNotThrow(() => RunLr(backup, null, model));
    }

    private static string RunStop(string? backup, bool crash)
    {
        var (x, y) = Data();
        var model = NewModel();
        int epoch = -1;
        var stop = new LambdaCallback { EpochBegin = e => epoch = e, BatchEnd = (b, _) => { if (b == 3 && epoch == 1) model.StopTraining = true; } };
        var crasher = new LambdaCallback { EpochEnd = (e, _) => { if (crash && e == 1) throw new CrashException(); } };
        List<Callback> callbacks = [stop, crasher];
        if (backup is not null) callbacks.Add(new BackupAndRestore(backup, SaveFrequency.EveryBatches(1)));
        var history = model.Fit(x, y, epochs: 4, batchSize: 16, verbose: 0, callbacks: callbacks);
        return JsonSerializer.Serialize(new { history.Epochs, history.Values });
    }

    [Test]
    public void StopMidEpoch_PerBatchBackup_CrashAtEpochEnd_ResumedRunsEpochEnd()
    {
        string expected = RunStop(null, false);
        using var dir = new TempDirectory();
        string backup = dir.File("backup");
        Assert.Throws<CrashException>(() => RunStop(backup, true));
        string actual = RunStop(backup, false);
        Assert.That(actual, Is.EqualTo(expected));
    }

    private static (string A, string B) RunTwoCheckpoints(TempDirectory dir, string? backup, int? crashEpoch, bool swapped)
    {
        var (x, y) = Data();
        var model = NewModel();
        var a = new ModelCheckpoint(dir.File("a/w"), monitor: "loss", saveBestOnly: true, saveWeightsOnly: true);
        var b = new ModelCheckpoint(dir.File("b/w"), monitor: "val_loss", saveBestOnly: true, saveWeightsOnly: true);
        var crash = new LambdaCallback { EpochEnd = (e, _) => { if (e == crashEpoch) throw new CrashException(); } };
        List<Callback> callbacks = swapped ? [b, a] : [a, b];
        if (backup is not null) callbacks.Add(new BackupAndRestore(backup));
        callbacks.Add(crash);
        model.Fit(x, y, epochs: 4, batchSize: 16, verbose: 0, validationSplit: 0.2, callbacks: callbacks);
        // Each callback's whole state (best value, kept files, counters), with the run's directory taken out of the paths.
        string State(ModelCheckpoint c) => c.GetState()!.ToJsonString().Replace(dir.Path.Replace("\\", "\\\\"), "<dir>");
        return (State(a), State(b));
    }

    [Test]
    public void TwoModelCheckpoints_ReorderedOnResume_EachGetsItsOwnState()
    {
        using var reference = new TempDirectory();
        var expected = RunTwoCheckpoints(reference, null, null, swapped: false);
        using var dir = new TempDirectory();
        string backup = dir.File("backup");
        Assert.Throws<CrashException>(() => RunTwoCheckpoints(dir, backup, 2, swapped: false));
        Assert.That(RunTwoCheckpoints(dir, backup, null, swapped: true), Is.EqualTo(expected));
    }
}
