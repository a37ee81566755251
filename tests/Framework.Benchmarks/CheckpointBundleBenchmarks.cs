using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Framework.Serialization;
using Framework.Tensors;

namespace Framework.Benchmarks;

/// <summary>Write and read throughput of a ~100 MB checkpoint bundle (25 float tensors of 4 MiB each).</summary>
[MemoryDiagnoser]
public class CheckpointBundleBenchmarks
{
    private const int Tensors = 25;
    private const int Elements = 1 << 20;
    private readonly float[][] _values = new float[Tensors][];
    private readonly float[][] _buffers = new float[Tensors][];
    private string _dir = "";

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        for (int t = 0; t < Tensors; t++)
        {
            _values[t] = new float[Elements];
            _buffers[t] = new float[Elements];
            for (int i = 0; i < Elements; i++)
                _values[t][i] = (float)random.NextDouble();
        }
        _dir = Path.Combine(Path.GetTempPath(), "fw-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        Write();
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    /// <summary>Writes the bundle: stream to temporary files, CRC per tensor, fsync, rename.</summary>
    [Benchmark]
    public void Write()
    {
        using var writer = new TensorBundleWriter(Path.Combine(_dir, "ckpt"));
        for (int t = 0; t < Tensors; t++)
            writer.Add<float>($"model/layer_with_weights-{t}/kernel/.ATTRIBUTES/VARIABLE_VALUE", new Shape(1024, 1024), _values[t]);
        writer.Finish();
    }

    /// <summary>Opens the bundle and reads every tensor into preallocated buffers, verifying CRCs.</summary>
    [Benchmark]
    public void Read()
    {
        using var reader = new TensorBundleReader(Path.Combine(_dir, "ckpt"));
        for (int t = 0; t < Tensors; t++)
            reader.ReadInto($"model/layer_with_weights-{t}/kernel/.ATTRIBUTES/VARIABLE_VALUE", MemoryMarshal.AsBytes(_buffers[t].AsSpan()));
    }
}
