using Framework.Layers;
using Framework.Optimizers;
using Framework.Tensors;
using Framework.Training;
using Framework.Tests.Helpers;

namespace Framework.Tests.Training;

/// <summary>A user-defined model: child layers tracked in the constructor, the forward pass in Call.</summary>
public class CustomModelTests
{
    private sealed class TwoTower : Model
    {
        private readonly Dense _left;
        private readonly Dense _right;
        private readonly Dense _head;

        public TwoTower()
        {
            _left = Track("left", new Dense(6, activation: "relu"));
            _right = Track("right", new Dense(6, activation: "tanh"));
            _head = Track("head", new Dense(2));
        }

        protected override Tensor Call(Tensor x, bool training) =>
            _head.Apply(Tensor.Concat([_left.Apply(x, training), _right.Apply(x, training)], axis: -1), training);
    }

    [Test]
    public void Subclass_TrainsEvaluatesAndTracksItsLayers()
    {
        RandomGenerator.SetGlobalSeed(5);
        var (x, y) = ToyData.Blobs(128);
        var model = new TwoTower();
        model.Compile(new Adam(learningRate: 0.01), new SparseCategoricalCrossentropy(fromLogits: true), [new Accuracy()]);
        var history = model.Fit(x, y, epochs: 5, batchSize: 16, verbose: 0);
        Assert.That(history["loss"][4], Is.LessThan(history["loss"][0]));
        Assert.That(model.Evaluate(x, y)["accuracy"], Is.GreaterThan(0.95));
        Assert.That(model.Children.Select(c => c.Name), Is.EqualTo(new[] { "left", "right", "head", "optimizer" }));
        Assert.That(model.TrainableWeights, Has.Count.EqualTo(6));
        Assert.That(model.Predict(x).Shape, Is.EqualTo(new Shape(128, 2)));
    }

    [Test]
    public void Fit_FrozenLayer_TrainsTheOthersAndLeavesItUnchanged()
    {
        RandomGenerator.SetGlobalSeed(6);
        var (x, y) = ToyData.Blobs(64);
        var frozen = new Dense(8, activation: "relu") { Trainable = false };
        var model = new Sequential([frozen, new Dense(2)], inputShape: [4]);
        model.Compile(new Adam(), new SparseCategoricalCrossentropy(fromLogits: true));
        var before = frozen.Kernel.Value.ToArray<float>();
        model.Fit(x, y, epochs: 3, batchSize: 8, verbose: 0);
        Assert.That(frozen.Kernel.Value.ToArray<float>(), Is.EqualTo(before));
        Assert.That(model.TrainableWeights, Has.Count.EqualTo(2));
    }
}
