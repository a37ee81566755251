using BenchmarkDotNet.Attributes;
using Framework.Layers;
using Framework.Tensors;
using Framework.Training;

namespace Framework.Benchmarks;

/// <summary><c>Model.Load</c> of a deep stack of <c>Dense(1)</c> layers, compiled with Adam and stepped once (so every weight has
/// two slots): the time must grow linearly with the layer count (it was quadratic: 1k layers 0.5 s, 8k 13.7 s).</summary>
/// <remarks><c>dotnet run -c Release --project tests/Framework.Benchmarks -- --filter *ModelLoad* --job short</c></remarks>
[MemoryDiagnoser]
public class ModelLoadBenchmarks
{
    private string _dir = "";

    /// <summary>Layers in the saved model.</summary>
    [Params(1000, 4000, 16000)]
    public int Layers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var model = new Sequential(Enumerable.Range(0, Layers).Select(i => (Layer)new Dense(1, name: $"d{i}")), inputShape: [1]);
        model.Compile("adam", "mse");
        var x = Tensor.Ones(new Shape(2, 1));
        model.Fit(x, x, epochs: 1, verbose: 0);
        _dir = Path.Combine(Path.GetTempPath(), "fw-bench-load-" + Guid.NewGuid().ToString("N"));
        model.Save(_dir);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    /// <summary>Reads config.json, builds the model (weights checked against the index), restores weights and slots.</summary>
    [Benchmark]
    public Model Load() => Model.Load(_dir);
}
