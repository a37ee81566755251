using BenchmarkDotNet.Attributes;
using Framework.Layers;
using Framework.Tensors;

namespace Framework.Benchmarks;

/// <summary>
/// One LSTM(128) training step (forward over (32, 100, 128), loss = sum of the last hidden state, backward to the
/// weights), the step <see cref="LstmRatio"/> sets beside PyTorch's <c>nn.LSTM</c> (<c>tests/tools/lstm_peer.py</c>).
/// Run with <c>--filter '*LstmStep*' --inProcess --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class LstmStepBenchmarks
{
    private Lstm _layer = null!;
    private Tensor _x = null!;

    /// <summary>Thread limit for the kernels.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Threading.MaxThreads = Threads;
        (_layer, _x) = LstmRatio.Setup();
        for (int i = 0; i < 3; i++) Step();
    }

    [Benchmark]
    public void Step() => LstmRatio.Step(_layer, _x);
}
