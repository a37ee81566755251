using Framework.Tensors;
using Framework.Tests.Helpers;
using Framework.Tests.Serialization;
using Mnist;
using Mnist.Modes;

namespace Framework.Tests.Examples;

/// <summary>Every <c>--mode</c> of examples/Mnist, run on 1,000 real digits (800 to train, 200 to validate) for 2 epochs.</summary>
public class MnistModesTests
{
    private static MnistSplit? s_data;

    private static MnistSplit Data()
    {
        if (s_data is null)
        {
            var (x, y) = MnistDataset.Load(RepoPaths.InRepo("../shared/data/mnist"), "t10k");
            s_data = MnistSplit.FirstAndLast(x, y, 800, 200);
        }
        return s_data;
    }

    private static ModeResult Run(string mode, string directory, int stopAfterSteps = 0) =>
        MnistModes.Run(new MnistOptions
        {
            Mode = mode, Epochs = 2, Verbose = 0, CheckpointDir = directory, SaveEverySteps = 10, StopAfterSteps = stopAfterSteps,
        }, Data(), TextWriter.Null);

    [Test]
    public void Train_ReachesTheTarget_Succeeds()
    {
        var result = MnistModes.Run(new MnistOptions { Epochs = 2, Verbose = 0, TargetAccuracy = 0.8 }, Data(), TextWriter.Null);
        Assert.That(result.Succeeded, Is.True, result.Summary);
    }

    [Test]
    public void Train_BelowTheTarget_Fails()
    {
        var result = MnistModes.Run(new MnistOptions { Epochs = 1, Verbose = 0, TargetAccuracy = 1.01 }, Data(), TextWriter.Null);
        Assert.That(result.Succeeded, Is.False);
    }

    [Test]
    public void BestWeights_LoadedModelEvaluatesToTheBestValLoss()
    {
        using var dir = new TempDirectory();
        var result = Run("best-weights", dir.Path);
        Assert.That(result.Succeeded, Is.True, result.Summary);
        Assert.That(dir.FileNames(), Is.EqualTo(new[] { "best.data-00000-of-00001", "best.index", "checkpoint" }));
    }

    [Test]
    public void SaveLoad_PredictsIdenticallyAndContinuesAsIfUninterrupted()
    {
        using var dir = new TempDirectory();
        var result = Run("save-load", dir.Path);
        Assert.That(result.Succeeded, Is.True, result.Summary);
        Assert.That(File.Exists(Path.Combine(dir.Path, "model", "config.json")), Is.True);
    }

    [Test]
    public void CustomLoop_StoppedAndRunAgain_EqualsUninterrupted()
    {
        using var whole = new TempDirectory();
        using var resumed = new TempDirectory();
        var uninterrupted = Run("custom-loop", whole.Path);

        var stopped = Run("custom-loop", resumed.Path, stopAfterSteps: 33);   // 3 steps after the checkpoint of step 30
        Assert.That(stopped.Succeeded && stopped.Model is null, Is.True, stopped.Summary);
        var continued = Run("custom-loop", resumed.Path);

        Assert.That(uninterrupted.Succeeded && continued.Succeeded, Is.True, continued.Summary);
        Assert.That(ReferenceModel.SameWeights(continued.Model!, uninterrupted.Model!), Is.True, "bit-identical weights");
        // 50 steps, a save every 10 and at the end: 5 saves in all, numbering continued across the runs, 3 kept.
        Assert.That(resumed.FileNames().Where(f => f.EndsWith(".index", StringComparison.Ordinal)),
            Is.EqualTo(new[] { "ckpt-3.index", "ckpt-4.index", "ckpt-5.index" }));
    }

    [Test]
    public void Timed_SavesAtStartAndEnd_NewestHoldsTheTrainedWeights()
    {
        using var dir = new TempDirectory();
        var result = Run("timed", dir.Path);   // 600 s: only the start and end saves happen
        Assert.That(result.Succeeded, Is.True, result.Summary);
        Assert.That(dir.FileNames().Where(f => f.EndsWith(".index", StringComparison.Ordinal)), Is.EqualTo(new[] { "ckpt-1.index", "ckpt-2.index" }));
    }

    [Test]
    public void Resume_KilledAndRunAgain_EqualsUninterrupted()
    {
        using var whole = new TempDirectory();
        using var resumed = new TempDirectory();
        var uninterrupted = Run("resume", whole.Path);

        var killed = Run("resume", resumed.Path, stopAfterSteps: 33);
        Assert.That(killed.Model, Is.Null, killed.Summary);
        Assert.That(resumed.FileNames(), Is.Not.Empty, "backups are left for the next run");
        var continued = Run("resume", resumed.Path);

        Assert.That(continued.Summary, Does.Contain("resumed from"));
        Assert.That(ReferenceModel.SameWeights(continued.Model!, uninterrupted.Model!), Is.True, "bit-identical weights");
        Assert.That(Directory.Exists(resumed.Path) ? resumed.FileNames() : [], Is.Empty, "a finished run deletes its backups");
    }
}
