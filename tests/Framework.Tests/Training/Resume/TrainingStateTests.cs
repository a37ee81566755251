using System.Text.Json.Nodes;
using Framework.Tensors;
using Framework.Training;

namespace Framework.Tests.Training.Resume;

/// <summary>The pieces of the training state round-trip exactly: JSON values, metric accumulators, callback states.</summary>
public class TrainingStateTests
{
    [TestCase(double.PositiveInfinity)]
    [TestCase(double.NegativeInfinity)]
    [TestCase(double.NaN)]
    [TestCase(0.1)]
    [TestCase(-1.2345678901234567e-300)]
    [TestCase(double.Epsilon)]
    public void StateJson_Double_RoundTripsBitExactly(double value)
    {
        var node = JsonNode.Parse(StateJson.FromDouble(value).ToJsonString());
        Assert.That(BitConverter.DoubleToInt64Bits(StateJson.ToDouble(node)), Is.EqualTo(BitConverter.DoubleToInt64Bits(value)));
    }

    [Test]
    public void StateJson_BadValues_ThrowInvalidData()
    {
        Assert.Throws<InvalidDataException>(() => StateJson.ToDouble(JsonValue.Create("infinite")));
        var e = Assert.Throws<InvalidDataException>(() => StateJson.Require(new JsonObject { ["a"] = 1 }, "b"));
        Assert.That(e!.Message, Does.Contain("'b'").And.Contain("a"));
    }

    [Test]
    public void Metrics_StateRoundTrip_ContinuesTheSameRunningValue()
    {
        var targets = Tensor.FromArray(new long[] { 0, 1, 1, 0 });
        var scores = Tensor.FromArray(new float[] { 2, 1, 0, 3, 1, 2, 5, 0 }, 4, 2);
        Metric[] metrics = [new Accuracy(), new Mean("m"), new Precision(), new Recall()];
        foreach (var metric in metrics)
        {
            var binaryScores = metric is Precision or Recall ? Tensor.FromArray(new float[] { 0.9f, 0.2f, 0.7f, 0.1f }, 4, 1) : scores;
            var binaryTargets = metric is Precision or Recall ? Tensor.FromArray(new float[] { 1, 0, 0, 1 }, 4, 1) : targets;
            metric.Update(binaryTargets, binaryScores);
            var state = metric.GetState();
            double result = metric.Result();
            metric.Reset();
            metric.SetState(state);
            Assert.That(metric.Result(), Is.EqualTo(result), metric.Name);
            var e = Assert.Throws<ArgumentException>(() => metric.SetState([1]));
            Assert.That(e!.Message, Does.Contain(metric.Name));
        }
    }

    [Test]
    public void History_StateRoundTrip_KeepsEpochsAndValues()
    {
        var history = new History();
        history.OnEpochEnd(0, new Logs { ["loss"] = 0.5, ["val_loss"] = double.NaN });
        history.OnEpochEnd(1, new Logs { ["loss"] = 0.25, ["val_loss"] = 0.3 });
        var copy = new History();
        copy.SetState(JsonNode.Parse(history.GetState().ToJsonString())!.AsObject());
        Assert.That(copy.Epochs, Is.EqualTo(new[] { 0, 1 }));
        Assert.That(copy["loss"], Is.EqualTo(new[] { 0.5, 0.25 }));
        Assert.That(double.IsNaN(copy["val_loss"][0]), Is.True);
    }
}
