using Framework.Layers;
using Framework.Optimizers;
using Framework.Serialization;
using Framework.Tensors;
using Framework.Training;

namespace Framework.CrashWorker;

/// <summary>The save paths the crash tests kill: each writes a small compiled model whose every weight equals the state
/// number S, so a restored checkpoint shows which save it came from and whether it mixes two.</summary>
/// <remarks>A new format joins by adding a case here (its save, driven like the others) and the matching restore in
/// SavePathCrashTests; its save code announces its file-system steps to <see cref="SaveSteps"/>.</remarks>
internal static class SavePaths
{
    /// <summary>Every path, as named on the command line.</summary>
    public static readonly string[] Names =
        ["weights", "model", "mc-weights-fixed", "mc-weights-template", "mc-model-fixed", "mc-model-template", "manager", "backup",
         "keras3-weights", "keras2-weights", "keras-model", "h5-model", "mc-keras-weights-fixed", "mc-keras-model-template",
         "backup-keras"];

    /// <summary>The file each Keras-format path saves to, in the run's directory: its extension picks the format.</summary>
    public static string KerasFile(string path) => path switch
    {
        "keras3-weights" => "x.weights.h5",
        "keras2-weights" => "x.h5",
        "keras-model" => "m.keras",
        "h5-model" => "m.h5",
        _ => throw new ArgumentException($"'{path}' is no Keras-format save path"),
    };

    /// <summary>The backup paths' formats: "backup" writes TensorFlow checkpoints, "backup-keras" Keras 3's latest.weights.h5.</summary>
    public static BackupFormat BackupFormatOf(string path) => path == "backup-keras" ? BackupFormat.Keras : BackupFormat.TensorFlowCheckpoint;

    /// <summary>Epochs of the backup path's Fit: part of its configuration, so the same in every run.</summary>
    public const int BackupEpochs = 1_000_000;

    public static int Run(string path, string directory, long first, int counted)
    {
        var (model, x, y) = Create();
        var run = new Protocol(model, first, counted);
        switch (path)
        {
            case "weights": return run.Loop(() => model.SaveWeights(Path.Combine(directory, "weights")));
            case "model": return run.Loop(() => model.Save(Path.Combine(directory, "model")));
            case "keras3-weights" or "keras2-weights": return run.Loop(() => model.SaveWeights(Path.Combine(directory, KerasFile(path))));
            case "keras-model" or "h5-model": return run.Loop(() => model.Save(Path.Combine(directory, KerasFile(path))));
            case "manager":
                using (var manager = new CheckpointManager(new Checkpoint(("model", model)), directory, maxToKeep: 2))
                    return run.Loop(() => manager.Save());
            case "backup" or "backup-keras":
                model.Fit(x, y, epochs: BackupEpochs, batchSize: 4, verbose: 0, shuffle: false, callbacks:
                [
                    new BackupAndRestore(directory, SaveFrequency.EveryBatches(1), deleteCheckpoint: false, format: BackupFormatOf(path)),
                    // BackupAndRestore backs up in AfterBatchEnd, after every OnBatchEnd: the state set here is the one backed up.
                    new LambdaCallback { BatchEnd = (_, _) => run.Announce(), BatchBegin = _ => run.Confirm(), EpochEnd = (_, _) => run.Confirm() },
                ]);
                return 1;
            default:
                if (!path.StartsWith("mc-", StringComparison.Ordinal)) throw new ArgumentException($"unknown save path '{path}'; known: {string.Join(", ", Names)}");
                var checkpoint = CrashCheckpoints.Create(path, directory);
                model.Fit(x, y, epochs: int.MaxValue, batchSize: 16, verbose: 0, initialEpoch: (int)first - 1, callbacks:
                [
                    new LambdaCallback { EpochEnd = (epoch, logs) => { run.Announce(epoch + 1); logs["crash_step"] = epoch + 1; } },
                    checkpoint,
                    new LambdaCallback { EpochEnd = (_, _) => run.Confirm() },
                ]);
                return 1;
        }
    }

    /// <summary>The model every path saves, compiled and trained one step (so it has optimizer slots), and its data.</summary>
    public static (Model Model, Tensor X, Tensor Y) Create()
    {
        RandomGenerator.SetGlobalSeed(3);
        var data = new RandomGenerator(5);
        var x = Tensor.RandomNormal([16, 6], generator: data);
        var y = Tensor.RandomNormal([16, 3], generator: data);
        var model = new Sequential([new Dense(32, activation: "relu"), new Dense(3)]);
        model.Compile(new Adam(0.001), new MeanSquaredError());
        return (model, x, y);
    }

    /// <summary>Sets every weight of <paramref name="model"/> to <paramref name="value"/>.</summary>
    public static void SetAll(Model model, long value)
    {
        foreach (var w in model.Weights)
        {
            using var full = Tensor.Full(w.Shape, value);
            w.Assign(full);
        }
    }

    /// <summary>The protocol on standard output: "saving S" before a save, "saved S" after, "done" at the end.</summary>
    private sealed class Protocol(Model model, long first, int counted)
    {
        private readonly long _first = first;
        private long _next = first;
        private long? _announced;

        public int Loop(Action save)
        {
            // One step of training first: the optimizer's slots exist, so every save holds them as a real one would.
            model.Fit(Tensor.Zeros([4, 6]), Tensor.Zeros([4, 3]), epochs: 1, batchSize: 4, verbose: 0);
            while (true)
            {
                Announce();
                save();
                Confirm();
            }
        }

        /// <summary>Sets the model to state <paramref name="state"/> (by default the next one) and says it is about to be saved.</summary>
        public void Announce(long? state = null)
        {
            long s = state ?? _next;
            SetAll(model, s);
            _announced = s;
            _next = s + 1;
            Say($"saving {s}");
        }

        /// <summary>Says the announced state was saved; arms the hook after the set-up save; stops after the counted saves.</summary>
        public void Confirm()
        {
            if (_announced is not { } s) return;
            Say($"saved {s}");
            _announced = null;
            if (s == _first) SaveSteps.Arm();
            if (counted > 0 && s >= _first + counted)
            {
                Say("done");
                Environment.Exit(0);
            }
        }

        private static void Say(string line)
        {
            Console.Out.WriteLine(line);
            Console.Out.Flush();
        }
    }
}
