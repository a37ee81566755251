using Framework.Training;
using Framework.Tests.Helpers;
using Framework.Tests.Serialization;
using Mnist;
using Mnist.Modes;

namespace Framework.Tests.Examples;

/// <summary><c>--model cnn</c> of examples/Mnist: options, and Keras's CNN learning 800 real digits.</summary>
public class MnistCnnTests
{
    [Test]
    public void Parse_ModelCnn_DefaultsToBatch128_UnlessGiven()
    {
        Assert.That(MnistOptions.Parse([]).Model, Is.EqualTo("dense"));
        Assert.That(MnistOptions.Parse([]).BatchSize, Is.EqualTo(32));
        var cnn = MnistOptions.Parse(["--model", "cnn"]);
        Assert.That((cnn.Model, cnn.BatchSize), Is.EqualTo(("cnn", 128)));
        Assert.That(MnistOptions.Parse(["--batch-size", "64", "--model", "cnn"]).BatchSize, Is.EqualTo(64));
    }

    [Test]
    public void Parse_UnknownModelOrCnnWithAnotherMode_ThrowsNamingIt()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => MnistOptions.Parse(["--model", "rnn"]))!.Message, Does.Contain("'rnn'").And.Contain("cnn"));
        Assert.That(Assert.Throws<ArgumentException>(() => MnistOptions.Parse(["--model", "cnn", "--mode", "resume"]))!.Message, Does.Contain("--mode resume"));
    }

    [Test]
    public void Train_Cnn_LearnsRealDigitsAndSavesALoadableModel()
    {
        var (x, y) = MnistDataset.Load(RepoPaths.InRepo("../shared/data/mnist"), "t10k");
        var data = MnistSplit.FirstAndLast(x, y, 800, 200);
        using var dir = new TempDirectory();
        var log = new StringWriter();
        var result = MnistModes.Run(new MnistOptions { Model = "cnn", Epochs = 2, BatchSize = 32, Verbose = 0, TargetAccuracy = 0.8, CheckpointDir = dir.Path }, data, log);
        Assert.That(result.Succeeded, Is.True, result.Summary + log);
        var loaded = Model.Load(Path.Combine(dir.Path, "mnist_cnn"));
        var images = CnnModel.Images(data.XVal);
        Assert.That(loaded.Predict(images).ToArray<float>(), Is.EqualTo(result.Model!.Predict(images).ToArray<float>()));
    }
}
