using Framework.Layers;
using Framework.Optimizers;
using Framework.Tensors;
using Framework.Training;

namespace Mnist;

/// <summary>The reference MNIST model: 784 → Dense(128, relu) → Dropout(0.2) → Dense(10), Adam, sparse cross-entropy from logits, accuracy.</summary>
public static class ReferenceModel
{
    /// <summary>The loss every mode trains with.</summary>
    public static Loss NewLoss() => new SparseCategoricalCrossentropy(fromLogits: true);

    /// <summary>The architecture, uncompiled; <see cref="RandomGenerator.SetGlobalSeed"/> first fixes its initial weights and Dropout masks.</summary>
    public static Sequential Build() => new([new Dense(128, activation: "relu"), new Dropout(0.2), new Dense(10)], inputShape: [784]);

    /// <summary>The architecture compiled with Adam(0.001), the loss and accuracy, after setting the global seed to <paramref name="seed"/>.</summary>
    public static Sequential Create(long seed)
    {
        RandomGenerator.SetGlobalSeed(seed);
        var model = Build();
        model.Compile(new Adam(learningRate: 0.001), NewLoss(), [new Accuracy()]);
        return model;
    }

    /// <summary>Whether two models' weights are bit-identical.</summary>
    public static bool SameWeights(Model a, Model b)
    {
        var (x, y) = (a.GetWeightValues(), b.GetWeightValues());
        return x.Count == y.Count && x.Zip(y).All(p => p.First.AsSpan().SequenceEqual(p.Second));
    }
}
