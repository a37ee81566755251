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
}
