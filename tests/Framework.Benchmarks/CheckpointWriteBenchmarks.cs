using BenchmarkDotNet.Attributes;
using Framework.Serialization;
using Framework.Tensors;
using Microsoft.Win32.SafeHandles;

namespace Framework.Benchmarks;

/// <summary>Saving (and restoring) a model's variables plus Adam-like state through <see cref="Checkpoint"/> against raw I/O of the same bytes.</summary>
/// <remarks>
/// Issue 4's target: a save (with fsync) at most 1.2× the raw write. <see cref="Parameters"/> defaults to 100M (a 1.2 GB
/// file: weights, m and v); run with <c>--inProcess</c> on shared machines, and pass a smaller size with
/// <c>--envVars FW_BENCH_PARAMS:10000000</c> for a quick look.
/// </remarks>
[MemoryDiagnoser]
public class CheckpointWriteBenchmarks
{
    private const int Chunk = 1 << 22;
    private Checkpoint _checkpoint = null!;
    private float[] _raw = null!;
    private string _dir = "";
    private int _count;

    /// <summary>Parameters of the model (each with m and v): the <c>FW_BENCH_PARAMS</c> environment variable, or 100M.</summary>
    public static int Parameters => int.TryParse(Environment.GetEnvironmentVariable("FW_BENCH_PARAMS"), out int n) ? n : 100_000_000;

    [GlobalSetup]
    public void Setup()
    {
        int tensors = Math.Max(1, Parameters / Chunk);
        var objects = new List<(string, Trackable)>();
        for (int t = 0; t < tensors; t++)
        {
            foreach (string kind in new[] { "w", "m", "v" })
                objects.Add(($"{kind}{t}", new Variable(Tensor.Full(new Shape(Parameters / tensors), 0.5), $"{kind}{t}", trainable: false)));
        }
        _checkpoint = new Checkpoint([.. objects]);
        _raw = new float[Parameters / tensors * tensors * 3];
        _dir = Path.Combine(Path.GetTempPath(), "fw-bench-ckpt-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        CheckpointWrite();
        CheckpointWrite();
        RawFsyncWrite();
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    /// <summary>Checkpoint.Write: graph, CRC per tensor, temporary files, fsync, renames.</summary>
    [Benchmark]
    public void CheckpointWrite() => _checkpoint.Write(Path.Combine(_dir, $"ckpt-{_count++ % 2}"));

    /// <summary>Checkpoint.Read into the existing variables (page cache): CRC checks, graph matching, assignment.</summary>
    [Benchmark]
    public void CheckpointRestore() => _checkpoint.Read(Path.Combine(_dir, "ckpt-0"));

    /// <summary>Reading the same number of bytes from the page cache into an existing buffer.</summary>
    [Benchmark]
    public void RawRead()
    {
        using SafeFileHandle handle = File.OpenHandle(Path.Combine(_dir, "raw"), FileMode.Open, FileAccess.Read);
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(_raw.AsSpan());
        long offset = 0;
        for (int i = 0; i < bytes.Length; i += 1 << 24, offset += 1 << 24)
            RandomAccess.Read(handle, bytes.Slice(i, Math.Min(1 << 24, bytes.Length - i)), offset);
    }

    /// <summary>The same number of bytes written to one file and fsync'd.</summary>
    [Benchmark(Baseline = true)]
    public void RawFsyncWrite()
    {
        using SafeFileHandle handle = File.OpenHandle(Path.Combine(_dir, "raw"), FileMode.Create, FileAccess.Write);
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(_raw.AsSpan());
        long offset = 0;
        for (int i = 0; i < bytes.Length; i += 1 << 24, offset += 1 << 24)
            RandomAccess.Write(handle, bytes.Slice(i, Math.Min(1 << 24, bytes.Length - i)), offset);
        RandomAccess.FlushToDisk(handle);
    }
}
