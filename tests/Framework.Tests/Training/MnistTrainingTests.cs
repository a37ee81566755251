using Framework.Layers;
using Framework.Optimizers;
using Framework.Tensors;
using Framework.Training;
using Framework.Tests.Helpers;
using Mnist;

namespace Framework.Tests.Training;

/// <summary>The reference model on real MNIST digits (../shared/data/mnist: the 10,000 test digits).</summary>
public class MnistTrainingTests
{
    private static (Tensor X, Tensor Y) Digits() => MnistDataset.Load(RepoPaths.InRepo("../shared/data/mnist"), "t10k");

    private static Sequential ReferenceModel()
    {
        var model = new Sequential([new Dense(128, activation: "relu"), new Dropout(0.2), new Dense(10)], inputShape: [784]);
        model.Compile(new Adam(), new SparseCategoricalCrossentropy(fromLogits: true), [new Accuracy()]);
        return model;
    }

    /// <remarks>
    /// The issue asks for 96%. PyTorch with the same model, split, optimizer and initialisation
    /// (tests/tools/mnist_split_torch.py, seeds 1–5) reaches 95.35–95.9% after 5 epochs and never 96% in any epoch;
    /// this framework reaches 95.05–95.9% (seeds 1–4, 42). The bar is therefore set at what a correct
    /// implementation reaches here, 95%, with the seed fixed so the test is deterministic.
    /// </remarks>
    [Test, Category("Slow")]
    public void Fit_FirstEightThousandDigits_ValidatesAboveNinetyFivePercentInFiveEpochs()
    {
        RandomGenerator.SetGlobalSeed(42);
        var (x, y) = Digits();
        var model = ReferenceModel();
        var history = model.Fit(x.Slice(0, 8000), y.Slice(0, 8000), epochs: 5, batchSize: 32, verbose: 0,
            validationData: (x.Slice(8000, 2000), y.Slice(8000, 2000)));
        Assert.That(history["val_accuracy"].Max(), Is.GreaterThanOrEqualTo(0.95));
        Assert.That(history["loss"][4], Is.LessThan(history["loss"][0]));
    }

    [Test]
    public void Fit_SameSeed_BitIdenticalOnOneAndTwoThreads()
    {
        var (x, y) = Digits();
        float[][] Run(int threads)
        {
            int saved = Threading.MaxThreads;
            Threading.MaxThreads = threads;
            try
            {
                RandomGenerator.SetGlobalSeed(7);
                var model = ReferenceModel();
                model.Fit(x.Slice(0, 640), y.Slice(0, 640), epochs: 2, batchSize: 32, verbose: 0);
                return [.. model.GetWeightValues()];
            }
            finally
            {
                Threading.MaxThreads = saved;
            }
        }
        var oneA = Run(1);
        var oneB = Run(1);
        var twoA = Run(2);
        var twoB = Run(2);
        Assert.That(oneB, Is.EqualTo(oneA), "two runs on one thread");
        Assert.That(twoB, Is.EqualTo(twoA), "two runs on two threads");
        Assert.That(twoA, Is.EqualTo(oneA), "one thread against two: the kernels never split a reduction across threads");
    }

    [Test]
    public void Fit_DifferentSeeds_DifferentWeights()
    {
        var (x, y) = Digits();
        float[] Run(long seed)
        {
            RandomGenerator.SetGlobalSeed(seed);
            var model = ReferenceModel();
            model.Fit(x.Slice(0, 64), y.Slice(0, 64), epochs: 1, verbose: 0);
            return model.GetWeightValues()[0];
        }
        Assert.That(Run(2), Is.Not.EqualTo(Run(1)));
    }
}
