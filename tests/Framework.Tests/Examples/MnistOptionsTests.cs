using Mnist;
using Mnist.Modes;

namespace Framework.Tests.Examples;

/// <summary>The example's command line: the README's command keeps its meaning, new options parse, mistakes are named.</summary>
public class MnistOptionsTests
{
    [Test]
    public void Parse_ReadmeCommand_TrainModeWithItsValues()
    {
        var options = MnistOptions.Parse(["--data", "../shared/data/mnist", "--epochs", "5", "--target-accuracy", "0.95"]);
        Assert.That((options.Mode, options.Data, options.Epochs, options.TargetAccuracy, options.BatchSize, options.Seed),
            Is.EqualTo(("train", "../shared/data/mnist", 5, 0.95, 32, 42L)));
    }

    [Test]
    public void Parse_ModeOptions_AreRead()
    {
        var options = MnistOptions.Parse(["--mode", "custom-loop", "--checkpoint-dir", "d", "--stop-after-steps", "7", "--save-seconds", "0.5", "--save-every-steps", "3"]);
        Assert.That((options.Mode, options.ResolvedCheckpointDir, options.StopAfterSteps, options.SaveSeconds, options.SaveEverySteps),
            Is.EqualTo(("custom-loop", "d", 7, 0.5, 3)));
    }

    [Test]
    public void ResolvedCheckpointDir_Default_IsPerModeUnderTheTempDirectory() =>
        Assert.That(new MnistOptions { Mode = "timed" }.ResolvedCheckpointDir, Is.EqualTo(Path.Combine(Path.GetTempPath(), "framework", "mnist-timed")));

    [Test]
    public void Parse_UnknownOptionOrMissingValue_Throws()
    {
        Assert.That(() => MnistOptions.Parse(["--epoch", "5"]), Throws.ArgumentException.With.Message.Contains("--epoch"));
        Assert.That(() => MnistOptions.Parse(["--epochs"]), Throws.ArgumentException.With.Message.Contains("no value"));
    }

    [Test]
    public void Modes_HaveEveryDocumentedName() =>
        Assert.That(MnistModes.All.Keys, Is.EquivalentTo(new[] { "train", "best-weights", "save-load", "custom-loop", "timed", "resume" }));
}
