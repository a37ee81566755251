using BenchmarkDotNet.Attributes;
using Framework.Layers;
using Framework.Optimizers;
using Framework.Tensors;
using Framework.Training;

namespace Framework.Benchmarks;

/// <summary>
/// One training step of the reference MLP (784 → Dense(128, relu) → Dropout(0.2) → Dense(10), Adam, sparse
/// cross-entropy from logits, accuracy) through the public <c>TrainOnBatch</c>, at batch 32 and batch 1: the per-step
/// cost that <see cref="MlpRatio"/> sets beside PyTorch, with its managed allocations.
/// </summary>
/// <remarks>
/// Random inputs stand in for Fashion-MNIST so the benchmark needs no data files; the kernels do the same work either
/// way. Steps cycle through 256 batches with random labels: repeating one batch lets the model fit it until the
/// gradients underflow to subnormals, which are slow on x86 and measure nothing that training meets. Run with <c>--filter '*TrainStep*' --inProcess --job short</c> (the default out-of-process toolchain times out here).
/// </remarks>
[MemoryDiagnoser]
public class TrainStepBenchmarks
{
    private Sequential _model = null!;
    private const int Batches = 256;
    private Tensor _x = null!;
    private Tensor _y = null!;
    private int _step;

    /// <summary>Samples per step.</summary>
    [Params(1, 32)]
    public int Batch { get; set; }

    /// <summary>Thread limit for the kernels.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Threading.MaxThreads = Threads;
        RandomGenerator.SetGlobalSeed(0);
        var rng = new RandomGenerator(1);
        var pixels = new float[Batches * Batch * 784];
        rng.FillUniform(pixels, 0, 1);
        _x = Tensor.FromArray(pixels, Batches * Batch, 784);
        _y = Tensor.FromArray(Enumerable.Range(0, Batches * Batch).Select(_ => (long)rng.NextInt(10)).ToArray(), Batches * Batch);
        _model = new Sequential([new Dense(128, activation: "relu"), new Dropout(0.2), new Dense(10)], inputShape: [784]);
        _model.Compile(new Adam(), new SparseCategoricalCrossentropy(fromLogits: true), [new Accuracy()]);
        for (int i = 0; i < 200; i++) Step();
    }

    [Benchmark]
    public void Step()
    {
        using var scope = TensorScope.Begin();
        int start = _step++ % Batches * Batch;
        _model.TrainOnBatch(_x.Slice(start, Batch), _y.Slice(start, Batch));
    }
}
