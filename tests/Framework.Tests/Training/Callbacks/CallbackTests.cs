using Framework.Training;
using Framework.Tests.Helpers;

namespace Framework.Tests.Training.Callbacks;

public class CallbackTests
{
    private static Sequential Compiled(double lr = 0.1)
    {
        var model = new Sequential([new TestLinear(8, 11), new TestRelu(), new TestLinear(2, 12)]);
        model.Compile(new PlainSgd(lr), new SparseCategoricalCrossentropy(fromLogits: true), [new Accuracy()]);
        return model;
    }

    [Test]
    public void EarlyStopping_NoImprovement_StopsAfterPatience()
    {
        var (x, y) = ToyData.Blobs(64);
        var model = Compiled();
        int epoch = 0;
        // A fake metric that improves twice, then gets worse.
        var fake = new LambdaCallback { EpochEnd = (e, logs) => logs["val_loss"] = new[] { 5.0, 4.0, 3.0, 3.5, 3.6, 3.7, 3.8 }[epoch++] };
        var stop = new EarlyStopping(patience: 2);
        var history = model.Fit(x, y, epochs: 7, verbose: 0, callbacks: [fake, stop]);
        Assert.That(stop.BestEpoch, Is.EqualTo(2));
        Assert.That(stop.StoppedEpoch, Is.EqualTo(4));
        Assert.That(history.Epochs, Has.Count.EqualTo(5));
    }

    [Test]
    public void EarlyStopping_RestoreBestWeights_EvenWithoutStopping()
    {
        var (x, y) = ToyData.Blobs(64);
        var model = Compiled();
        List<float[]>? atEpoch1 = null;
        int epoch = 0;
        var fake = new LambdaCallback
        {
            EpochEnd = (e, logs) =>
            {
                logs["val_loss"] = new[] { 2.0, 1.0, 3.0 }[epoch++];
                if (e == 1) atEpoch1 = model.GetWeightValues();
            },
        };
        model.Fit(x, y, epochs: 3, verbose: 0, callbacks: [fake, new EarlyStopping(patience: 5, restoreBestWeights: true)]);
        Assert.That(model.GetWeightValues(), Is.EqualTo(atEpoch1));
    }

    [Test]
    public void TerminateOnNaN_NaNLoss_StopsAtThatBatch()
    {
        var (x, y) = ToyData.Blobs(64);
        var model = Compiled(lr: 1e30);
        var terminate = new TerminateOnNaN();
        var history = model.Fit(x, y, epochs: 5, batchSize: 4, verbose: 0, callbacks: [terminate]);
        Assert.That(terminate.TerminatedAtBatch, Is.GreaterThanOrEqualTo(0));
        Assert.That(history.Epochs, Has.Count.EqualTo(1));
    }

    [Test]
    public void LearningRateScheduler_SetsRateEachEpoch()
    {
        var (x, y) = ToyData.Blobs(32);
        var model = Compiled();
        var history = model.Fit(x, y, epochs: 3, verbose: 0, callbacks: [new LearningRateScheduler((e, lr) => 0.1 / (e + 1))]);
        Assert.That(history["learning_rate"], Is.EqualTo(new[] { 0.1, 0.05, 0.1 / 3 }).Within(1e-7));
    }

    [Test]
    public void ReduceLROnPlateau_Plateau_ReducesByFactor()
    {
        var (x, y) = ToyData.Blobs(32);
        var model = Compiled();
        var fake = new LambdaCallback { EpochEnd = (e, logs) => logs["val_loss"] = 1.0 };
        model.Fit(x, y, epochs: 4, verbose: 0, callbacks: [fake, new ReduceLROnPlateau(factor: 0.5, patience: 1)]);
        Assert.That(model.Optimizer!.LearningRate, Is.EqualTo(0.1 * 0.5 * 0.5 * 0.5).Within(1e-9));
    }

    [Test]
    public void CsvLogger_WritesHeaderAndRows_AppendKeepsOneHeader()
    {
        var path = Path.Combine(Path.GetTempPath(), $"csvlog-{Guid.NewGuid():N}.csv");
        try
        {
            var (x, y) = ToyData.Blobs(32);
            var model = Compiled();
            model.Fit(x, y, epochs: 2, verbose: 0, callbacks: [new CsvLogger(path)]);
            model.Fit(x, y, epochs: 3, initialEpoch: 2, verbose: 0, callbacks: [new CsvLogger(path, append: true)]);
            var lines = File.ReadAllLines(path);
            Assert.That(lines[0], Is.EqualTo("epoch,accuracy,loss"));
            Assert.That(lines.Length, Is.EqualTo(4));
            Assert.That(lines[3], Does.StartWith("2,"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void ProgressLogger_Redirected_PrintsPlainLinesWithoutCarriageReturns()
    {
        var (x, y) = ToyData.Blobs(64);
        var output = new StringWriter();
        var model = Compiled();
        model.Fit(x, y, epochs: 2, batchSize: 8, verbose: 0, callbacks: [new ProgressLogger(1, output, interactive: false)]);
        var text = output.ToString();
        Assert.That(text, Does.Not.Contain("\r"));
        Assert.That(text, Does.Contain("Epoch 1/2").And.Contain("8/8 [==============================]").And.Contain("loss: "));
    }

    [Test]
    public void ProgressLogger_Verbose2_OneLinePerEpoch()
    {
        var (x, y) = ToyData.Blobs(64);
        var output = new StringWriter();
        Compiled().Fit(x, y, epochs: 3, verbose: 0, callbacks: [new ProgressLogger(2, output, interactive: false)]);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(3));
        Assert.That(lines[2], Does.StartWith("Epoch 3/3 - 2/2 - ").And.Contain("accuracy: "));
    }
}
