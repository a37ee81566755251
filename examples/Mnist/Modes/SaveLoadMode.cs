using Framework.Tensors;
using Framework.Training;

namespace Mnist.Modes;

/// <summary>Scenario b: save the whole model, load it, and show that the loaded model predicts identically and that
/// training it on equals never having stopped.</summary>
/// <remarks>Three runs from the same seed: N epochs uninterrupted; N - 1 epochs, <c>Save</c>, <c>Load</c>, one more epoch
/// on the loaded model; and one more epoch on the saved model itself. All three must end with bit-identical weights,
/// which needs the save to hold the optimizer state, the shuffle generator and the Dropout mask streams.</remarks>
public static class SaveLoadMode
{
    /// <summary>Runs the mode (at least 2 epochs).</summary>
    public static ModeResult Run(MnistOptions options, MnistSplit data, TextWriter log)
    {
        int epochs = Math.Max(2, options.Epochs);
        string directory = Path.Combine(options.ResolvedCheckpointDir, "model");
        var uninterrupted = ReferenceModel.Create(options.Seed);
        uninterrupted.Fit(data.XTrain, data.YTrain, epochs: epochs, batchSize: options.BatchSize, verbose: options.Verbose);

        var saved = ReferenceModel.Create(options.Seed);
        saved.Fit(data.XTrain, data.YTrain, epochs: epochs - 1, batchSize: options.BatchSize, verbose: options.Verbose);
        saved.Save(directory);
        var loaded = Model.Load(directory);
        bool samePredictions = Predictions(saved, data.XVal).AsSpan().SequenceEqual(Predictions(loaded, data.XVal));
        log.WriteLine($"Saved after epoch {epochs - 1} to {directory}; the loaded model's predictions are {(samePredictions ? "identical" : "DIFFERENT")}.");

        foreach (var model in new[] { saved, loaded })
            model.Fit(data.XTrain, data.YTrain, epochs: epochs, batchSize: options.BatchSize, verbose: options.Verbose, initialEpoch: epochs - 1);
        bool loadedSame = ReferenceModel.SameWeights(loaded, uninterrupted);
        bool savedSame = ReferenceModel.SameWeights(saved, uninterrupted);
        log.WriteLine($"After epoch {epochs}: loaded-and-continued vs uninterrupted weights {(loadedSame ? "bit-identical" : "DIFFERENT")}; "
            + $"saved-and-continued vs uninterrupted {(savedSame ? "bit-identical" : "DIFFERENT")}.");
        return samePredictions && loadedSame && savedSame
            ? new ModeResult(true, $"{epochs - 1} epochs + save/load + 1 epoch equals {epochs} epochs uninterrupted.", loaded)
            : new ModeResult(false, "Save/load changed the model or its training (see above).", loaded);
    }

    private static float[] Predictions(Model model, Tensor x) => model.Predict(x).ToArray<float>();
}
