using System.Globalization;
using System.Text.Json;
using Framework.Layers;
using Framework.Optimizers;
using Framework.Tensors;
using Framework.Training;

// Usage: Framework.ResumeWorker BACKUP_DIR OUTPUT_PREFIX [BATCH_DELAY_MS]
// Trains a small model with dropout, shuffling, validation, EarlyStopping and a CSV log, backing up every 7 batches into
// BACKUP_DIR. Prints "batch E S" after every batch (so a test can kill it at a chosen batch) and, when training completes,
// writes the final weights (OUTPUT_PREFIX.weights, raw float32) and the history (OUTPUT_PREFIX.history.json). Started
// again after a kill, it resumes from the backup; the outputs must equal an uninterrupted run's bit for bit.
if (args.Length is < 2 or > 3)
{
    Console.Error.WriteLine("usage: Framework.ResumeWorker BACKUP_DIR OUTPUT_PREFIX [BATCH_DELAY_MS]");
    return 2;
}
string backupDirectory = args[0], output = args[1];
int delay = args.Length == 3 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 0;

RandomGenerator.SetGlobalSeed(7);
var data = new RandomGenerator(11);
var x = Tensor.RandomNormal([480, 12], generator: data);
var y = Tensor.FromArray(Enumerable.Range(0, 480).Select(_ => (long)data.NextInt(3)).ToArray());
var model = new Sequential([new Dense(24, activation: "relu"), new Dropout(0.3), new Dense(3)]);
model.Compile(new Adam(0.01), new SparseCategoricalCrossentropy(fromLogits: true), [new Accuracy()]);

var progress = new LambdaCallback
{
    BatchEnd = (batch, _) =>
    {
        Console.WriteLine($"batch {batch}");
        Console.Out.Flush();
        if (delay > 0) Thread.Sleep(delay);
    },
};
var history = model.Fit(x, y, epochs: 5, batchSize: 16, verbose: 0, validationSplit: 0.25, callbacks:
[
    new BackupAndRestore(backupDirectory, SaveFrequency.EveryBatches(7)),
    new EarlyStopping(monitor: "val_loss", patience: 10, restoreBestWeights: true),
    new CsvLogger(output + ".csv"),
    progress,
]);

using (var file = File.Create(output + ".weights"))
{
    foreach (var w in model.GetWeightValues()) file.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(w.AsSpan()));
}
File.WriteAllText(output + ".history.json", JsonSerializer.Serialize(new { history.Epochs, history.Values }));
Console.WriteLine("done");
return 0;
