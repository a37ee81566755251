using BenchmarkDotNet.Attributes;
using Framework.Tensors;

namespace Framework.Benchmarks;

/// <summary>Conv2D forward, input-gradient and kernel-gradient kernels on the MNIST CNN's shapes and a 3×3 64→64 56×56 layer at batch 32.</summary>
/// <remarks>
/// The operands of <see cref="ConvRatio"/> (whose <c>conv</c> command prints GFLOP/s beside <c>tests/tools/conv_peer.py</c>).
/// Run: <c>dotnet run -c Release --project tests/Framework.Benchmarks -- --filter '*ConvBenchmarks*' --job short --inProcess</c>.
/// </remarks>
public class ConvBenchmarks
{
    private ConvOperands _operands = null!;
    private Action _forward = null!, _inputGrad = null!, _kernelGrad = null!;

    /// <summary>The shape's name in <see cref="ConvRatio"/>'s list.</summary>
    [Params("cnn_conv1_128x28x28x1_to_32", "cnn_conv2_128x26x26x32_to_64", "resnet_32x56x56x64_to_64_same")]
    public string Shape { get; set; } = "";

    /// <summary>Kernel threads.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Allocates the operands of the shape.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Threading.MaxThreads = Threads;
        var s = ConvRatio.Shapes.Single(s => s.Name == Shape);
        _operands = new ConvOperands(s.N, s.H, s.W, s.Cin, s.Cout, s.K, s.Padding);
        var passes = _operands.Passes().ToDictionary(p => p.Pass, p => p.Call);
        (_forward, _inputGrad, _kernelGrad) = (passes["forward"], passes["input_grad"], passes["kernel_grad"]);
    }

    /// <summary>Frees the operands.</summary>
    [GlobalCleanup]
    public void Cleanup() => _operands.Dispose();

    /// <summary>y = conv(x, w).</summary>
    [Benchmark]
    public void Forward() => _forward();

    /// <summary>dx from dy.</summary>
    [Benchmark]
    public void InputGrad() => _inputGrad();

    /// <summary>dw from x and dy.</summary>
    [Benchmark]
    public void KernelGrad() => _kernelGrad();
}
