using System.Diagnostics;
using System.Globalization;
using Framework.Serialization;
using Framework.Tensors;
using Microsoft.Win32.SafeHandles;

namespace Framework.Benchmarks;

/// <summary>
/// Checkpoint timings to set beside <c>../shared/bench/peers/ckpt_io_torch.py</c>: the checkpoint of <c>k</c> bias-free
/// 1000×1000 layers plus Adam's m and v (k million parameters, 12 MB per million), saved and restored against a raw
/// fsync'd write and a raw read of the same bytes, and loaded in a fresh process.
/// </summary>
/// <remarks>
/// <c>ckpt ratio [--millions 100] [--rounds 5] [--dir /tmp]</c> alternates save, raw write, restore and raw read in one
/// process (so machine noise hits both sides alike) and prints min and median of each.
/// <c>ckpt save PREFIX [--millions 100]</c> writes a checkpoint; <c>ckpt load PREFIX [--millions 100]</c>, run as a new
/// process, times creating the variables and restoring them, like the peer's fresh-process <c>torch.load</c>.
/// Both print the peak resident memory beyond the tensors (<see cref="PeakMemory"/>).
/// </remarks>
public static class CheckpointIo
{
    public static void Run(string[] args)
    {
        int millions = int.Parse(Option(args, "--millions", "100"), CultureInfo.InvariantCulture);
        switch (args[0])
        {
            case "ratio": Ratio(millions, int.Parse(Option(args, "--rounds", "5"), CultureInfo.InvariantCulture), Option(args, "--dir", "/tmp")); break;
            case "save": Save(args[1], millions); break;
            case "load": Load(args, millions); break;
            default: throw new ArgumentException($"Unknown ckpt mode '{args[0]}'; use ratio, save or load.");
        }
    }

    /// <summary>k layers' weights with their m and v, as a checkpoint's children <c>w0, m0, v0, w1, ...</c>.</summary>
    public static Checkpoint NewModel(int millions, double value)
    {
        var objects = new List<(string, Trackable)>();
        for (int t = 0; t < millions; t++)
        {
            foreach (string kind in new[] { "w", "m", "v" })
            {
                using var init = Tensor.Full(new Shape(1000, 1000), value);
                objects.Add(($"{kind}{t}", new Variable(init, $"{kind}{t}", trainable: false)));
            }
        }
        return new Checkpoint([.. objects]);
    }

    private static void Ratio(int millions, int rounds, string dir)
    {
        long bytes = millions * 12_000_000L;
        var checkpoint = NewModel(millions, 0.5);
        string prefix = Path.Combine(dir, $"fw-ckpt-io-{Environment.ProcessId}");
        string raw = prefix + ".raw";
        // The raw side gets the memory a restore gets: huge pages where the variables have them (copies into 4 KiB-mapped
        // memory run slower on these machines), touched before timing.
        var buffer = TensorLikeMemory.Rent(checked((int)bytes));
        buffer.Bytes.Fill(1);
        var times = new Dictionary<string, List<double>>();
        void Time(string name, Action action)
        {
            var clock = Stopwatch.StartNew();
            action();
            (times.TryGetValue(name, out var list) ? list : times[name] = []).Add(clock.Elapsed.TotalSeconds);
        }
        try
        {
            checkpoint.Write(prefix);
            for (int r = 0; r < rounds; r++)
            {
                Time("save_fsync", () => checkpoint.Write(prefix));
                Time("raw_write_fsync", () => RawWrite(raw, buffer));
                Time("restore_cached", () => checkpoint.Read(prefix));
                Time("restore_again", () => checkpoint.Read(prefix));
                Time("raw_read_cached", () => RawRead(raw, buffer));
                Time("verify_pass_only", () => VerifyPass(prefix));
                Time("match_only", () => Checkpoint.MatchObject(checkpoint, prefix));
                Time("assign_pass_only", () => AssignPass(prefix, checkpoint));
            }
        }
        finally
        {
            foreach (string f in Directory.GetFiles(dir, Path.GetFileName(prefix) + "*")) File.Delete(f);
        }
        Console.WriteLine($"params={millions}M bytes={bytes} rounds={rounds} threads={Threading.MaxThreads} cpu={Environment.ProcessorCount}");
        foreach (var (name, list) in times)
        {
            string inOrder = string.Join(", ", list.Select(t => t.ToString("0.0000", CultureInfo.InvariantCulture)));
            list.Sort();
            Console.WriteLine(FormattableString.Invariant($"{name}: min {list[0]:0.0000} s ({bytes / list[0] / 1e9:0.00} GB/s), median {list[list.Count / 2]:0.0000} s, rounds in order [{inOrder}]"));
        }
        Console.WriteLine(FormattableString.Invariant($"save/raw_write (medians) {Median(times["save_fsync"]) / Median(times["raw_write_fsync"]):0.00}x; restore bandwidth / raw read (medians) {Median(times["raw_read_cached"]) / Median(times["restore_cached"]):0.00}x, (mins) {times["raw_read_cached"][0] / times["restore_cached"][0]:0.00}x"));
    }

    private static void Save(string prefix, int millions)
    {
        var checkpoint = NewModel(millions, 0.25);
        var peak = PeakMemory.Start();
        var clock = Stopwatch.StartNew();
        checkpoint.Write(prefix);
        Console.WriteLine(FormattableString.Invariant($"save_fsync {clock.Elapsed.TotalSeconds:0.000} s; {peak.Report(0)}"));
    }

    private static void Load(string[] args, int millions)
    {
        string prefix = args[1];
        var peak = PeakMemory.Start();
        var clock = Stopwatch.StartNew();
        var checkpoint = NewModel(millions, 0);
        double created = clock.Elapsed.TotalSeconds;
        var restorePeak = PeakMemory.Start();
        checkpoint.Read(prefix);
        double total = clock.Elapsed.TotalSeconds;
        string restoreMemory = restorePeak.Report(0);
        var again = new List<string>();
        for (int r = 1; r < int.Parse(Option(args, "--repeats", "1"), CultureInfo.InvariantCulture); r++)
        {
            var step = Stopwatch.StartNew();
            VerifyPass(prefix);
            double verify = step.Elapsed.TotalSeconds;
            checkpoint.Read(prefix);
            again.Add(FormattableString.Invariant($"{step.Elapsed.TotalSeconds - verify:0.000} (verify alone before it {verify:0.000})"));
        }
        var first = (Variable)checkpoint.Children.First(c => c.Name == "w0").Target;
        float check = first.Value.ToArray<float>()[0];
        Console.WriteLine(FormattableString.Invariant($"fresh_load {total:0.000} s (create variables {created:0.000} s, restore {total - created:0.000} s); w0[0]={check}; restores again [{string.Join(", ", again)}] s; process uptime {(DateTime.Now - Process.GetCurrentProcess().StartTime).TotalSeconds:0.000} s; whole process: {peak.Report(millions * 12_000_000L)}; restore alone: {restoreMemory}"));
    }

    // The raw side moves the same bytes in 16 MiB calls, one thread, into and out of memory that is already touched.
    private static void RawWrite(string path, TensorLikeMemory buffer)
    {
        using SafeFileHandle handle = File.OpenHandle(path, FileMode.Create, FileAccess.Write);
        for (int i = 0; i < buffer.Length; i += 1 << 24)
            RandomAccess.Write(handle, buffer.Bytes.Slice(i, Math.Min(1 << 24, buffer.Length - i)), i);
        RandomAccess.FlushToDisk(handle);
    }

    private static void RawRead(string path, TensorLikeMemory buffer)
    {
        using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        for (int i = 0; i < buffer.Length; i += 1 << 24)
            RandomAccess.Read(handle, buffer.Bytes.Slice(i, Math.Min(1 << 24, buffer.Length - i)), i);
    }

    // The two halves of a restore, for a breakdown: checking every CRC, and reading the verified values into the variables.
    private static void VerifyPass(string prefix)
    {
        using var reader = new TensorBundleReader(prefix);
        reader.VerifyAll([.. reader.Entries.Where(e => e.DType is not null)]);
    }

    private static void AssignPass(string prefix, Checkpoint checkpoint)
    {
        using var reader = new TensorBundleReader(prefix);
        var variables = checkpoint.Children.Select(c => c.Target).OfType<Variable>().ToArray();
        ParallelEntries.Run(variables.Length, _ => 1, i =>
        {
            VariableBytes.TryGet(variables[i], out var bytes);
            reader.ReadIntoAlreadyVerified(CheckpointKey.ForVariable(variables[i].Name), bytes);
        });
    }

    private static double Median(List<double> sorted) => sorted[sorted.Count / 2];

    private static string Option(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
