// The reference MNIST script: 784 → Dense(128, relu) → Dropout(0.2) → Dense(10), Adam, sparse categorical
// cross-entropy from logits, accuracy, batch 32, validation every epoch; exits 1 below --target-accuracy.
//   dotnet run -c Release --project examples/Mnist -- --data ../shared/data/mnist --epochs 5 --target-accuracy 0.95
// --model cnn trains Keras's MNIST CNN instead (Conv2D 32, Conv2D 64, MaxPooling2D, Dropout, Dense 128, Dropout, Dense 10;
// batch 128) and saves it under --checkpoint-dir, e.g. on Fashion-MNIST:
//   dotnet run -c Release --project examples/Mnist -- --model cnn --data /usr/share/datasets/fashion-mnist --epochs 2
// --mode runs one of the saving guide's scenarios instead (Modes/), each exiting 1 when it does not show what it should:
//   best-weights  ModelCheckpoint keeps the lowest val_loss; a new model loads it and evaluates to exactly that loss
//   save-load     Model.Save / Model.Load: same predictions, and N-1 epochs + save/load + 1 equals N epochs bit for bit
//   custom-loop   hand-written loop with Checkpoint + CheckpointManager(maxToKeep: 3); run again to resume
//                 (--stop-after-steps N stops early as if interrupted; --save-every-steps, default 100)
//   timed         CheckpointSaver every --save-seconds (default 600) with CheckpointManager(maxToKeep: 5)
//   resume        BackupAndRestore every --save-every-steps batches; --stop-after-steps N "kills" it, run again to continue
// --backend torch runs everything on libtorch's CPU kernels (Framework.Torch) instead of the managed backend.
// Missing MNIST files are downloaded from --mirror (default Google's CVDF copy); when that fails (offline) the example says
// which files to put where and exits 2.
// Checkpoints go to --checkpoint-dir, by default <temp>/framework/mnist-<mode> (e.g. /tmp/framework/mnist-resume). Delete it to start over.
using Framework.Tensors;
using Mnist;
using Mnist.Modes;

MnistOptions options;
try
{
    options = MnistOptions.Parse(args);
    if (!MnistModes.All.ContainsKey(options.Mode)) throw new ArgumentException($"Unknown mode '{options.Mode}'. Modes: {string.Join(", ", MnistModes.All.Keys)}.");
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
if (options.Threads > 0) Threading.MaxThreads = options.Threads;

if (!await MnistDownload.EnsureAsync(options.Data, options.Mirror, Console.Error)) return 2;
// Every tensor, model and optimizer slot made from here on lives on the chosen backend (one line: Device.Use).
using var backend = Device.Use(options.Device);
var data = MnistSplit.Load(options.Data);
Console.WriteLine($"Training on {data.XTrain.Shape[0]} digits, validating on {data.XVal.Shape[0]} ({options.Data}); mode {options.Mode}; backend {options.Device}.");

var result = MnistModes.Run(options, data, Console.Out);
(result.Succeeded ? Console.Out : Console.Error).WriteLine(result.Summary);
return result.Succeeded ? 0 : 1;
