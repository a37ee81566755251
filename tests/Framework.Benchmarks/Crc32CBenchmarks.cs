using BenchmarkDotNet.Attributes;
using Framework.Serialization;

namespace Framework.Benchmarks;

/// <summary>CRC32C throughput: the portable table (baseline) against SSE4.2 with three interleaved streams.</summary>
public class Crc32CBenchmarks
{
    private byte[] _data = [];

    /// <summary>Buffer size in bytes.</summary>
    [Params(4096, 4 << 20)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = new byte[Size];
        new Random(1).NextBytes(_data);
    }

    /// <summary>Slicing-by-8 table.</summary>
    [Benchmark(Baseline = true)]
    public uint Table() => Crc32C.ComputeWithTable(_data);

    /// <summary>Hardware CRC32 instruction.</summary>
    [Benchmark]
    public uint Hardware() => Crc32C.Compute(_data);
}
