using Framework.Tensors;
using Framework.Training;
using Framework.Tests.Helpers;

namespace Framework.Tests.Training;

[TestFixtureSource(typeof(TestDevices), nameof(TestDevices.Both))]
public class FitTests(Device device) : OnDevice(device)
{
    private static Sequential NewModel() => new([new TestLinear(8, seed: 11), new TestRelu(), new TestLinear(2, seed: 12)]);

    private static Sequential Compiled()
    {
        var model = NewModel();
        model.Compile(new PlainSgd(0.1), new SparseCategoricalCrossentropy(fromLogits: true), [new Accuracy()]);
        return model;
    }

    [Test]
    public void Fit_SeparableData_LearnsAndRecordsHistory()
    {
        var (x, y) = ToyData.Blobs(200);
        var model = Compiled();
        var history = model.Fit(x, y, epochs: 5, batchSize: 16, verbose: 0, validationSplit: 0.25);
        Assert.That(history.Epochs, Is.EqualTo(new[] { 0, 1, 2, 3, 4 }));
        Assert.That(history["loss"][4], Is.LessThan(history["loss"][0]));
        Assert.That(history["val_accuracy"][4], Is.GreaterThan(0.95));
        Assert.That(history.Values.Keys, Is.EquivalentTo(new[] { "loss", "accuracy", "val_loss", "val_accuracy" }));
        Assert.That(model.Optimizer!.Iterations.Value.Item<long>(), Is.EqualTo(5 * 10));
    }

    [Test]
    public void Fit_SameSeed_BitIdenticalWeights()
    {
        float[][] Run()
        {
            RandomGenerator.SetGlobalSeed(42);
            var (x, y) = ToyData.Blobs(100);
            var model = Compiled();
            model.Fit(x, y, epochs: 3, batchSize: 8, verbose: 0);
            return [.. model.GetWeightValues()];
        }
        var first = Run();
        var second = Run();
        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void Fit_NotCompiled_ThrowsWithHint()
    {
        var (x, y) = ToyData.Blobs(10);
        var ex = Assert.Throws<InvalidOperationException>(() => NewModel().Fit(x, y, verbose: 0));
        Assert.That(ex!.Message, Does.Contain("Compile"));
    }

    [Test]
    public void Fit_SampleCountsDiffer_ThrowsNamingShapes()
    {
        var (x, _) = ToyData.Blobs(10);
        var ex = Assert.Throws<ArgumentException>(() => Compiled().Fit(x, Tensor.Zeros([9], DType.Int64), verbose: 0));
        Assert.That(ex!.Message, Does.Contain("(10, 4)").And.Contain("(9,)"));
    }

    [Test]
    public void Fit_CallbackStopsTraining_AfterCurrentBatch()
    {
        var (x, y) = ToyData.Blobs(64);
        var model = Compiled();
        var seen = new List<string>();
        var stopper = new LambdaCallback
        {
            TrainBegin = _ => seen.Add("train_begin"),
            EpochBegin = e => seen.Add($"epoch_begin {e}"),
            BatchEnd = (b, logs) =>
            {
                seen.Add($"batch_end {b}");
                if (b == 1) model.StopTraining = true;
            },
            EpochEnd = (e, logs) => seen.Add($"epoch_end {e}"),
            TrainEnd = _ => seen.Add("train_end"),
        };
        var history = model.Fit(x, y, epochs: 3, batchSize: 16, verbose: 0, callbacks: [stopper]);
        Assert.That(seen, Is.EqualTo(new[] { "train_begin", "epoch_begin 0", "batch_end 0", "batch_end 1", "epoch_end 0", "train_end" }));
        Assert.That(history.Epochs, Is.EqualTo(new[] { 0 }));
    }

    [Test]
    public void Fit_InitialEpoch_StartsThere()
    {
        var (x, y) = ToyData.Blobs(32);
        var history = Compiled().Fit(x, y, epochs: 4, initialEpoch: 2, verbose: 0);
        Assert.That(history.Epochs, Is.EqualTo(new[] { 2, 3 }));
    }

    [Test]
    public void Evaluate_MatchesLossComputedByHand()
    {
        var (x, y) = ToyData.Blobs(50);
        var model = Compiled();
        model.Fit(x, y, epochs: 1, verbose: 0);
        var results = model.Evaluate(x, y, batchSize: 7);
        double expected = new SparseCategoricalCrossentropy(fromLogits: true).Compute(y, model.Predict(x)).Item<float>();
        Assert.That(results["loss"], Is.EqualTo(expected).Within(1e-5));
        Assert.That(results.Keys, Is.EqualTo(new[] { "loss", "accuracy" }));
    }

    [Test]
    public void Predict_BatchesEqualOneShotApply()
    {
        var (x, _) = ToyData.Blobs(45);
        var model = NewModel();
        var batched = model.Predict(x, batchSize: 8);
        Assert.That(batched.Shape, Is.EqualTo(new Shape(45, 2)));
        TensorAssert.AllClose(model.Apply(x), batched, 0, 0);
        Assert.That(batched.RequiresGrad, Is.False);
    }

    [Test]
    public void TrainOnBatch_OneStep_ReturnsLogsAndUpdates()
    {
        var (x, y) = ToyData.Blobs(16);
        var model = Compiled();
        var logs = model.TrainOnBatch(x, y);
        Assert.That(logs.ContainsKey("loss"), Is.True);
        Assert.That(model.Optimizer!.Iterations.Value.Item<long>(), Is.EqualTo(1));
    }

    [Test]
    public void Sequential_Children_NumberedLikeTfKeras()
    {
        var model = Compiled();
        model.EnsureBuilt([1, 4]);
        var names = model.Children.Select(c => c.Name).ToArray();
        Assert.That(names, Is.EqualTo(new[] { "layer_with_weights-0", "layer-0", "layer-1", "layer_with_weights-1", "layer-2", "optimizer" }));
    }

    [Test]
    public void Summary_PrintsKerasTable()
    {
        var model = new Sequential([new TestLinear(8), new TestRelu(), new TestLinear(2)], inputShape: [4]);
        var text = new StringWriter();
        model.Summary(text);
        var s = text.ToString();
        Assert.That(s, Does.Contain("Layer (type)").And.Contain("(None, 8)").And.Contain("(None, 2)"));
        Assert.That(s, Does.Contain("Total params: 58 (232.00 B)").And.Contain("Non-trainable params: 0"));
        Assert.That(model.TrainableWeights, Has.Count.EqualTo(4), "each weight once, although layers have two edge names");
    }

    [Test]
    public void Compile_StringNames_UnknownMetricListsKnown()
    {
        var ex = Assert.Throws<ArgumentException>(() => NewModel().Compile(new PlainSgd(), Losses.Get("mse"), [Metrics.Get("nope")]));
        Assert.That(ex!.Message, Does.Contain("nope").And.Contain("accuracy"));
    }

    [Test]
    public void Sequential_LeadingInputLayer_DeclaresShapeAndIsNotNumbered()
    {
        var model = new Sequential([new Framework.Layers.InputLayer([4]), new TestLinear(3), new TestRelu()]);
        Assert.That(model.IsBuilt, Is.True);
        Assert.That(model.Layers, Has.Count.EqualTo(2));
        Assert.That(model.Children.Select(c => c.Name), Is.EqualTo(new[] { "layer_with_weights-0", "layer-0", "layer-1" }));
        var unbuilt = new Sequential([new TestLinear(3)]);
        var ex = Assert.Throws<ArgumentException>(() => unbuilt.Add(new Framework.Layers.InputLayer([4])));
        Assert.That(ex!.Message, Does.Contain("must be the first layer"));
    }

    private sealed class EpochOnly : Callback
    {
        public override void OnEpochEnd(int epoch, Logs logs)
        {
        }
    }

    [Test]
    public void Fit_BatchLogs_OnlyForCallbacksThatReadThem_AndEqualToTheRunningValues()
    {
        var (x, y) = ToyData.Blobs(64);
        var model = Compiled();
        var seen = new List<Logs>();
        var reader = new LambdaCallback { BatchEnd = (_, logs) => seen.Add(new Logs(logs)) };
        Assert.That(new EpochOnly().WantsBatchLogs(0), Is.False, "a callback without OnBatchEnd never needs batch logs");
        Assert.That(new LambdaCallback().WantsBatchLogs(0), Is.False);
        Assert.That(reader.WantsBatchLogs(0), Is.True);

        var history = model.Fit(x, y, epochs: 1, batchSize: 16, verbose: 0, callbacks: [reader, new EpochOnly()]);

        Assert.That(seen, Has.Count.EqualTo(4));
        Assert.That(seen.Select(l => l.Keys.ToArray()), Has.All.EqualTo(new[] { "loss", "accuracy" }));
        Assert.That(seen[^1]["loss"], Is.EqualTo(history["loss"][0]), "the last batch's running mean is the epoch's");
        Assert.That(seen[^1]["accuracy"], Is.EqualTo(history["accuracy"][0]));
    }
}
