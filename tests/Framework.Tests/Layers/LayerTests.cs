using Framework.Layers;
using Framework.Tensors;
using Framework.Tests.Helpers;

namespace Framework.Tests.Layers;

public class LayerTests
{
    private sealed class NormalizedDense : Layer
    {
        public NormalizedDense()
        {
            Dense = Track("dense", new Dense(3));
            Norm = Track("norm", new BatchNormalization(momentum: 0.5));
        }

        public Dense Dense { get; }

        public BatchNormalization Norm { get; }

        protected override Tensor Call(Tensor input, bool training) => Norm.Apply(Dense.Apply(input, training), training);
    }

    [Test]
    public void Trainable_SetFalseOnComposite_FreezesChildrenLikeKeras()
    {
        var block = new NormalizedDense { Trainable = false };
        block.Apply(LayerTester.Random(1, [4, 2]), training: true);
        Assert.That((block.Dense.Trainable, block.Norm.Trainable), Is.EqualTo((false, false)));
        Assert.That(block.TrainableWeights, Is.Empty);
        Assert.That(block.NonTrainableWeights, Has.Count.EqualTo(6));
        TensorAssert.AllClose([0, 0, 0], block.Norm.MovingMean.Value, 0, 0);
    }

    [Test]
    public void Trainable_SetTrueAgain_UnfreezesChildren()
    {
        var block = new NormalizedDense { Trainable = false };
        block.Trainable = true;
        block.Apply(LayerTester.Random(1, [4, 2]), training: true);
        Assert.That(block.TrainableWeights, Has.Count.EqualTo(4));
        Assert.That(block.Norm.MovingMean.Value.ToArray<float>(), Has.Some.Not.EqualTo(0f));
    }
}
