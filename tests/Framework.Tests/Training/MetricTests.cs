using Framework.Tests.Helpers;
using Framework.Tensors;
using Framework.Training;

namespace Framework.Tests.Training;

[TestFixtureSource(typeof(TestDevices), nameof(TestDevices.Both))]
public class MetricTests(Device device) : OnDevice(device)
{
    [Test]
    public void Accuracy_Sparse_AccumulatesOverBatches()
    {
        var acc = new Accuracy(AccuracyKind.Sparse);
        acc.Update(Tensor.FromArray(new long[] { 0, 1 }), Tensor.FromArray(new float[] { 0.9f, 0.1f, 0.8f, 0.2f }, 2, 2));
        acc.Update(Tensor.FromArray(new int[] { 1 }), Tensor.FromArray(new float[] { 0.3f, 0.7f }, 1, 2));
        Assert.That(acc.Result(), Is.EqualTo(2.0 / 3).Within(1e-12));
        acc.Reset();
        Assert.That(acc.Result(), Is.EqualTo(0));
    }

    [Test]
    public void Accuracy_Auto_ResolvesFromShapes()
    {
        var categorical = new Accuracy();
        categorical.Update(Tensor.FromArray(new float[] { 0, 1, 1, 0 }, 2, 2), Tensor.FromArray(new float[] { 0.2f, 0.8f, 0.6f, 0.4f }, 2, 2));
        Assert.That(categorical.Kind, Is.EqualTo(AccuracyKind.Categorical));
        Assert.That(categorical.Result(), Is.EqualTo(1.0));
        var binary = new Accuracy();
        binary.Update(Tensor.FromArray(new float[] { 1, 0, 1 }, 3, 1), Tensor.FromArray(new float[] { 0.7f, 0.6f, 0.9f }, 3, 1));
        Assert.That(binary.Kind, Is.EqualTo(AccuracyKind.Binary));
        Assert.That(binary.Result(), Is.EqualTo(2.0 / 3).Within(1e-12));
    }

    [Test]
    public void PrecisionRecall_KnownCounts()
    {
        var t = Tensor.FromArray(new float[] { 1, 1, 0, 0, 1 });
        var p = Tensor.FromArray(new float[] { 0.9f, 0.2f, 0.7f, 0.1f, 0.6f });
        var precision = new Precision();
        var recall = new Recall();
        precision.Update(t, p);
        recall.Update(t, p);
        Assert.That(precision.Result(), Is.EqualTo(2.0 / 3).Within(1e-12));
        Assert.That(recall.Result(), Is.EqualTo(2.0 / 3).Within(1e-12));
    }

    [Test]
    public void Get_AccuracyFollowsLoss_LikeKeras()
    {
        Assert.That(((Accuracy)Metrics.Get("accuracy", new SparseCategoricalCrossentropy())).Kind, Is.EqualTo(AccuracyKind.Sparse));
        Assert.That(((Accuracy)Metrics.Get("accuracy", new BinaryCrossentropy())).Kind, Is.EqualTo(AccuracyKind.Binary));
        Assert.Throws<ArgumentException>(() => Metrics.Get("f7"));
    }

    [Test]
    public void MonitorModes_Auto_AccuracyLikeMaximisedOthersMinimised()
    {
        Assert.That(MonitorModes.Resolve(MonitorMode.Auto, "val_accuracy"), Is.EqualTo(MonitorMode.Max));
        Assert.That(MonitorModes.Resolve(MonitorMode.Auto, "val_auc"), Is.EqualTo(MonitorMode.Max));
        Assert.That(MonitorModes.Resolve(MonitorMode.Auto, "recall"), Is.EqualTo(MonitorMode.Max));
        Assert.That(MonitorModes.Resolve(MonitorMode.Auto, "val_loss"), Is.EqualTo(MonitorMode.Min));
        Assert.That(MonitorModes.Resolve(MonitorMode.Min, "val_accuracy"), Is.EqualTo(MonitorMode.Min));
    }

    [Test]
    public void Mean_TensorValues_SummedOnTheDevice_BitIdenticalToHostValues()
    {
        var (onDevice, onHost) = (new Mean("loss"), new Mean("loss"));
        var rng = new Random(5);
        for (int i = 0; i < 50; i++)
        {
            var value = Tensor.Scalar((float)(rng.NextDouble() * 3));
            int weight = 1 + rng.Next(32);
            onDevice.Add(value, weight);
            onHost.Add(value.Cast(DType.Float64).Item<double>(), weight);
            if (i == 20) Assert.That(onDevice.Result(), Is.EqualTo(onHost.Result()), "a read in the middle changes nothing");
        }
        Assert.That(onDevice.Result(), Is.EqualTo(onHost.Result()));
        Assert.That(onDevice.GetState(), Is.EqualTo(onHost.GetState()));
    }

    [Test]
    public void Mean_StateRestoredMidway_ContinuesExactly()
    {
        var (whole, resumed) = (new Mean("loss"), new Mean("loss"));
        for (int i = 0; i < 10; i++) whole.Add(Tensor.Scalar(0.1f * i + 0.37f), 32);
        resumed.SetState(new Mean("loss").GetState());
        for (int i = 0; i < 5; i++) resumed.Add(Tensor.Scalar(0.1f * i + 0.37f), 32);
        var midway = resumed.GetState();
        resumed.Reset();
        resumed.SetState(midway);
        for (int i = 5; i < 10; i++) resumed.Add(Tensor.Scalar(0.1f * i + 0.37f), 32);
        Assert.That(resumed.Result(), Is.EqualTo(whole.Result()));
    }

    [Test]
    public void Precision_Recall_CountOnTheDevice_AcrossBatchesAndStates()
    {
        var (precision, recall) = (new Precision(), new Recall());
        var targets = Tensor.FromArray(new float[] { 1, 0, 1, 1, 0 }, 5, 1);
        var predictions = Tensor.FromArray(new float[] { 0.9f, 0.8f, 0.2f, 0.7f, 0.1f }, 5, 1);
        foreach (Metric m in new Metric[] { precision, recall })
        {
            m.Update(targets, predictions);
            m.Update(targets.Slice(0, 2), predictions.Slice(0, 2));
        }
        // TP 2 + 1, FP 1 + 1, FN 1 + 0.
        Assert.That(precision.Result(), Is.EqualTo(3.0 / 5).Within(1e-12));
        Assert.That(recall.Result(), Is.EqualTo(3.0 / 4).Within(1e-12));
        Assert.That(precision.GetState(), Is.EqualTo(new double[] { 3, 2, 1 }));
        var restored = new Recall();
        restored.SetState(recall.GetState());
        Assert.That(restored.Result(), Is.EqualTo(recall.Result()));
    }
}
