using System.Globalization;

namespace Mnist;

/// <summary>The example's command-line options, parsed from <c>--name value</c> pairs; every one has a default.</summary>
public sealed record MnistOptions
{
    /// <summary>The directory of the MNIST IDX files (downloaded there when missing).</summary>
    public string Data { get; init; } = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "framework", "mnist");

    /// <summary>The base URL MNIST's <c>.gz</c> files are downloaded from when they are missing from <see cref="Data"/>.</summary>
    public string Mirror { get; init; } = MnistDownload.DefaultMirror;

    /// <summary>The scenario to run: <c>train</c> (default), <c>best-weights</c>, <c>save-load</c>, <c>custom-loop</c>, <c>timed</c> or <c>resume</c>.</summary>
    public string Mode { get; init; } = "train";

    /// <summary>The model the <c>train</c> mode fits: <c>dense</c> (the reference MLP, default) or <c>cnn</c> (Keras's MNIST CNN, batch 128 unless given).</summary>
    public string Model { get; init; } = "dense";

    /// <summary>Training epochs.</summary>
    public int Epochs { get; init; } = 5;

    /// <summary>Samples per gradient step.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>The global seed set before each model is built, so weights, masks and data order are reproducible.</summary>
    public long Seed { get; init; } = 42;

    /// <summary>The <c>train</c> mode fails below this validation accuracy.</summary>
    public double TargetAccuracy { get; init; }

    /// <summary>Kernel threads; 0 keeps the framework's default.</summary>
    public int Threads { get; init; }

    /// <summary>Where the checkpoints of the mode go; null means <c>framework/mnist-&lt;mode&gt;</c> under the temp directory.</summary>
    public string? CheckpointDir { get; init; }

    /// <summary><c>custom-loop</c> and <c>resume</c>: stop after this many steps of this process, as if killed; 0 runs to the end.</summary>
    public int StopAfterSteps { get; init; }

    /// <summary><c>timed</c>: seconds between checkpoints (Estimator's default, 600).</summary>
    public double SaveSeconds { get; init; } = 600;

    /// <summary><c>custom-loop</c> and <c>resume</c>: steps between checkpoints.</summary>
    public int SaveEverySteps { get; init; } = 100;

    /// <summary>Which backend computes: <c>cpu</c> (the managed backend, default) or <c>torch</c> (libtorch's CPU kernels).</summary>
    public string Backend { get; init; } = "cpu";

    /// <summary>The device of <see cref="Backend"/>.</summary>
    public Framework.Tensors.Device Device => Backend == "torch" ? Framework.Tensors.Device.TorchCpu : Framework.Tensors.Device.Cpu;

    /// <summary>Fit's verbosity: 0 silent, 1 progress bar, 2 one line per epoch.</summary>
    public int Verbose { get; init; } = 1;

    /// <summary>The checkpoint directory this run uses.</summary>
    /// <remarks>The default is under the temp directory, not the current one, so that running from a checkout leaves nothing to commit.</remarks>
    public string ResolvedCheckpointDir => CheckpointDir ?? Path.Combine(Path.GetTempPath(), "framework", $"mnist-{Mode}");

    /// <summary>Parses <c>--name value</c> pairs over the defaults.</summary>
    /// <exception cref="ArgumentException">An option is unknown, lacks a value, or its value does not parse; the message says which.</exception>
    public static MnistOptions Parse(IReadOnlyList<string> args)
    {
        var options = new MnistOptions();
        bool batchSizeGiven = false;
        if (args.Count % 2 != 0) throw new ArgumentException($"Option '{args[^1]}' has no value.", nameof(args));
        for (int i = 0; i < args.Count; i += 2)
        {
            string value = args[i + 1];
            options = args[i] switch
            {
                "--data" => options with { Data = value },
                "--mode" => options with { Mode = value },
                "--mirror" => options with { Mirror = value },
                "--epochs" => options with { Epochs = Int(value) },
                "--batch-size" => options with { BatchSize = Int(value) },
                "--model" => options with { Model = value },
                "--seed" => options with { Seed = long.Parse(value, CultureInfo.InvariantCulture) },
                "--target-accuracy" => options with { TargetAccuracy = double.Parse(value, CultureInfo.InvariantCulture) },
                "--threads" => options with { Threads = Int(value) },
                "--checkpoint-dir" => options with { CheckpointDir = value },
                "--stop-after-steps" => options with { StopAfterSteps = Int(value) },
                "--save-seconds" => options with { SaveSeconds = double.Parse(value, CultureInfo.InvariantCulture) },
                "--save-every-steps" => options with { SaveEverySteps = Int(value) },
                "--verbose" => options with { Verbose = Int(value) },
                "--backend" when value is "cpu" or "torch" => options with { Backend = value },
                "--backend" => throw new ArgumentException($"Unknown backend '{value}'; use cpu or torch.", nameof(args)),
                _ => throw new ArgumentException($"Unknown option '{args[i]}'. Options: {Names}.", nameof(args)),
            };
            batchSizeGiven |= args[i] == "--batch-size";
        }
        if (options.Model is not ("dense" or "cnn")) throw new ArgumentException($"Unknown model '{options.Model}'. Models: dense, cnn.", nameof(args));
        if (options.Model == "cnn" && options.Mode != "train") throw new ArgumentException($"--model cnn runs with --mode train; received --mode {options.Mode}.", nameof(args));
        return options.Model == "cnn" && !batchSizeGiven ? options with { BatchSize = CnnModel.BatchSize } : options;
    }

    private const string Names = "--data, --mirror, --mode, --model, --epochs, --batch-size, --seed, --target-accuracy, --threads, --checkpoint-dir, "
        + "--stop-after-steps, --save-seconds, --save-every-steps, --verbose, --backend";

    private static int Int(string value) => int.Parse(value, CultureInfo.InvariantCulture);
}
