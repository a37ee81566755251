using BenchmarkDotNet.Attributes;
using Framework.Serialization;

namespace Framework.Benchmarks;

/// <summary>CRC32C throughput: the portable table (baseline), three interleaved crc32 streams, and carry-less folding.</summary>
public class Crc32CBenchmarks
{
    private byte[] _data = [];

    /// <summary>Buffer size in bytes.</summary>
    [Params(256, 4096, 1 << 20, 4 << 20)]
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

    /// <summary>Three interleaved crc32 instruction streams: the best path before folding.</summary>
    [Benchmark]
    public uint ThreeWay() => Crc32C.TryAppendThreeWay(0, _data, out uint crc) ? crc : 0;

    /// <summary>Four 128-bit PCLMULQDQ accumulators: the path for CPUs without AVX-512.</summary>
    [Benchmark]
    public uint Fold128() => Crc32C.TryAppendFold128(0, _data, out uint crc) ? crc : 0;

    /// <summary>512-bit VPCLMULQDQ folding alone, without crc32 streams beside it.</summary>
    [Benchmark]
    public uint Fold512() => Crc32C.TryAppendFold512(0, _data, out uint crc) ? crc : 0;

    /// <summary>What <see cref="Crc32C.Compute"/> picks on this CPU (VPCLMULQDQ folding with crc32 streams beside it, where available).</summary>
    [Benchmark]
    public uint Hardware() => Crc32C.Compute(_data);
}
