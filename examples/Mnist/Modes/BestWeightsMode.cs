using Framework.Training;

namespace Mnist.Modes;

/// <summary>Scenario a: keep the weights of the epoch with the lowest validation loss, then load them into a new model.</summary>
/// <remarks>Succeeds when the new model's <c>Evaluate</c> loss equals, bit for bit, the best <c>val_loss</c> in the history:
/// Fit's validation is <c>Evaluate</c> with the same batch size, so any difference would mean other weights were loaded.</remarks>
public static class BestWeightsMode
{
    /// <summary>Runs the mode.</summary>
    public static ModeResult Run(MnistOptions options, MnistSplit data, TextWriter log)
    {
        string best = Path.Combine(options.ResolvedCheckpointDir, "best");
        var model = ReferenceModel.Create(options.Seed);
        var checkpoint = new ModelCheckpoint(best, monitor: "val_loss", mode: MonitorMode.Min, saveBestOnly: true, saveWeightsOnly: true);
        var history = model.Fit(data.XTrain, data.YTrain, epochs: options.Epochs, batchSize: options.BatchSize, verbose: options.Verbose,
            validationData: (data.XVal, data.YVal), callbacks: [checkpoint]);

        var losses = history["val_loss"];
        int bestEpoch = Enumerable.Range(0, losses.Count).MinBy(i => losses[i]);
        var fresh = ReferenceModel.Create(options.Seed + 1);   // another seed: nothing but the loaded file can make it match
        fresh.LoadWeights(best);
        var evaluated = fresh.Evaluate(data.XVal, data.YVal, batchSize: options.BatchSize);
        log.WriteLine($"val_loss by epoch: {string.Join(", ", losses.Select(l => l.ToString("0.000000", System.Globalization.CultureInfo.InvariantCulture)))}");
        log.WriteLine($"Best epoch {bestEpoch + 1}: val_loss {losses[bestEpoch]:R}; loaded from {best}: loss {evaluated["loss"]:R}, accuracy {evaluated["accuracy"]:0.0000}");
        return evaluated["loss"] == losses[bestEpoch]
            ? new ModeResult(true, "The loaded weights are the best epoch's.", fresh)
            : new ModeResult(false, $"The loaded weights evaluate to {evaluated["loss"]:R}, not the best epoch's {losses[bestEpoch]:R}.", fresh);
    }
}
