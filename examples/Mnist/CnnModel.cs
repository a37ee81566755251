using Framework.Layers;
using Framework.Optimizers;
using Framework.Tensors;
using Framework.Training;

namespace Mnist;

/// <summary>Keras's classic MNIST CNN (keras/examples/mnist_cnn.py), as <c>--model cnn</c> trains it.</summary>
/// <remarks>
/// Conv2D(32, 3, relu) → Conv2D(64, 3, relu) → MaxPooling2D(2) → Dropout(0.25) → Flatten → Dense(128, relu) →
/// Dropout(0.5) → Dense(10, softmax), glorot_uniform kernels and zero biases (Keras's defaults), categorical
/// cross-entropy on integer labels, batch 128; the PyTorch peer <c>../shared/bench/peers/cnn_torch.py</c> is the same model.
/// </remarks>
public static class CnnModel
{
    /// <summary>The batch size of Keras's example.</summary>
    public const int BatchSize = 128;

    /// <summary>The architecture, uncompiled, for (28, 28, 1) images.</summary>
    public static Sequential Build() => new(
    [
        new Conv2D(32, 3, activation: "relu"), new Conv2D(64, 3, activation: "relu"), new MaxPooling2D(2), new Dropout(0.25),
        new Flatten(), new Dense(128, activation: "relu"), new Dropout(0.5), new Dense(10, activation: "softmax"),
    ], inputShape: [28, 28, 1]);

    /// <summary>
    /// The optimizer of Keras's example: Adadelta with learning rate 1.0 (Keras 2's default then; the peer's default too),
    /// ρ 0.95 and ε 1e-7.
    /// </summary>
    public static Optimizer NewOptimizer() => new Adadelta(learningRate: 1.0, rho: 0.95, epsilon: 1e-7);

    /// <summary>The architecture compiled with <see cref="NewOptimizer"/>, the loss and accuracy, after setting the global seed.</summary>
    public static Sequential Create(long seed)
    {
        RandomGenerator.SetGlobalSeed(seed);
        var model = Build();
        model.Compile(NewOptimizer(), new SparseCategoricalCrossentropy(), [new Accuracy()]);
        return model;
    }

    /// <summary>(n, 784) images as (n, 28, 28, 1), channels last, sharing storage.</summary>
    public static Tensor Images(Tensor flat) => flat.Reshape(flat.Shape[0], 28, 28, 1);
}
