using System.Diagnostics;
using System.Globalization;
using Framework.Layers;
using Framework.Optimizers;
using Framework.Tensors;
using Framework.Training;

namespace Framework.Benchmarks;

/// <summary>
/// Keras-file timings to set beside <c>tests/tools/h5_io_peer.py</c> (Debian's h5py): a 100-layer Dense(1000) model
/// (100.1M parameters) compiled with Adam and trained one step, so its m and v exist (300M floats, 1.2 GB in all).
/// </summary>
/// <remarks>
/// <c>keras-io [--layers 100] [--rounds 3] [--dir /tmp]</c> alternates, in one process and each round:
/// <c>SaveWeights("x.weights.h5")</c> (atomic, fsync'd), the peer writing the same arrays to the same layout with fsync,
/// <c>LoadWeights</c> of our file, the peer reading it, then <c>Model.Load</c> of a <c>.keras</c> archive and of the
/// directory format of the same model. Machine noise hits both sides alike; prints min and median of each, and the peak
/// resident memory beyond the tensors of one save and one load (<see cref="PeakMemory"/>; the peer reports its own).
/// </remarks>
public static class KerasIo
{
    public static void Run(string[] args)
    {
        int layers = int.Parse(Option(args, "--layers", "100"), CultureInfo.InvariantCulture);
        int rounds = int.Parse(Option(args, "--rounds", "3"), CultureInfo.InvariantCulture);
        string dir = Path.Combine(Option(args, "--dir", "/tmp"), $"fw-keras-io-{Environment.ProcessId}");
        string peer = Path.Combine(RepoRoot(), "tests", "tools", "h5_io_peer.py");
        Directory.CreateDirectory(dir);
        string weights = Path.Combine(dir, "x.weights.h5"), peerWeights = Path.Combine(dir, "peer.weights.h5");
        string archive = Path.Combine(dir, "m.keras"), directory = Path.Combine(dir, "m");
        var model = NewModel(layers);
        long tensorBytes = model.Weights.Sum(w => (long)w.Value.Shape.Size * 4) * 3;
        var times = new Dictionary<string, List<double>>();
        void Add(string name, double seconds) => (times.TryGetValue(name, out var list) ? list : times[name] = []).Add(seconds);
        try
        {
            // The first save and load are measured for memory before anything else has grown the heap.
            // A save allocates no tensors; a load reads the file's values into new tensors (one copy of the model, assigned
            // once all reads succeeded), which count as the tensors: "extra" is what the load needs beyond them.
            string saveMemory = Measured(() => Add("save_weights_h5_fsync", Time(() => model.SaveWeights(weights))), 0);
            string loadMemory = Measured(() => Add("load_weights_h5", Time(() => model.LoadWeights(weights))), tensorBytes);
            model.Save(archive);
            model.Save(directory);
            for (int r = 0; r < rounds; r++)
            {
                if (r > 0)
                {
                    Add("save_weights_h5_fsync", Time(() => model.SaveWeights(weights)));
                    Add("load_weights_h5", Time(() => model.LoadWeights(weights)));
                }
                var (write, writeExtra) = Peer(peer, "write", weights, peerWeights);
                Add("peer_h5py_write_fsync", write);
                var (read, readExtra) = Peer(peer, "read", weights);
                Add("peer_h5py_read", read);
                Console.WriteLine(FormattableString.Invariant($"round {r}: peer write extra {writeExtra} MB, peer read extra {readExtra} MB"));
                Add("model_load_keras", Time(() => Model.Load(archive)));
                Add("model_load_directory", Time(() => Model.Load(directory)));
            }
            Console.WriteLine(FormattableString.Invariant($"params={model.Weights.Sum(w => (long)w.Value.Shape.Size)} tensors with Adam m,v={tensorBytes / 1e6:0} MB file={new FileInfo(weights).Length / 1e6:0} MB rounds={rounds} threads={Threading.MaxThreads} cpu={Environment.ProcessorCount}"));
            foreach (var (name, list) in times)
            {
                string inOrder = string.Join(", ", list.Select(t => t.ToString("0.000", CultureInfo.InvariantCulture)));
                Console.WriteLine(FormattableString.Invariant($"{name}: min {list.Min():0.000} s, median {Median(list):0.000} s [{inOrder}]"));
            }
            Console.WriteLine($"first save memory: {saveMemory}");
            Console.WriteLine($"first load memory: {loadMemory}");
            Console.WriteLine(FormattableString.Invariant($"save/peer_write (medians) {Median(times["save_weights_h5_fsync"]) / Median(times["peer_h5py_write_fsync"]):0.00}x; load/peer_read (medians) {Median(times["load_weights_h5"]) / Median(times["peer_h5py_read"]):0.00}x; .keras/directory Model.Load (medians) {Median(times["model_load_keras"]) / Median(times["model_load_directory"]):0.00}x"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static Sequential NewModel(int layers)
    {
        RandomGenerator.SetGlobalSeed(0);
        var model = new Sequential([.. Enumerable.Range(0, layers).Select(_ => (Layer)new Dense(1000))], inputShape: [1000]);
        model.Compile(new Adam(), new MeanSquaredError());
        // One step creates Adam's m and v, so the file holds the optimizer state a resumed run needs.
        using var x = Tensor.Full(new Shape(1, 1000), 0.01);
        using var y = Tensor.Full(new Shape(1, 1000), 0.0);
        model.TrainOnBatch(x, y);
        return model;
    }

    /// <summary>Peak resident memory beyond what was resident before <paramref name="action"/> and the <paramref name="tensorBytes"/>
    /// of the tensors it creates, and the managed bytes it allocated (tensors' buffers included).</summary>
    private static string Measured(Action action, long tensorBytes)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        var peak = PeakMemory.Start();
        action();
        return FormattableString.Invariant($"{peak.Report(tensorBytes)}; managed allocations {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1e6:0} MB");
    }

    private static (double Seconds, string ExtraMb) Peer(string script, params string[] args)
    {
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true };
        info.ArgumentList.Add(script);
        foreach (string a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"h5_io_peer.py {string.Join(' ', args)} failed ({process.ExitCode}): {output}");
        string[] fields = output.Trim().Split(' ');
        return (double.Parse(fields[1], CultureInfo.InvariantCulture), fields[2]);
    }

    private static double Time(Action action)
    {
        // The models loaded by earlier rounds are garbage: collected before each timing, not during it (nor do they squeeze
        // the page cache that holds the files).
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalSeconds;
    }

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Directory.Packages.props"))) return d.FullName;
        throw new DirectoryNotFoundException("The repository root (with Directory.Packages.props) is not above the benchmark's binaries.");
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static string Option(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
