namespace Mnist.Modes;

/// <summary>The reference run: fit, evaluate, fail below <see cref="MnistOptions.TargetAccuracy"/>.</summary>
public static class TrainMode
{
    /// <summary>Runs the mode.</summary>
    public static ModeResult Run(MnistOptions options, MnistSplit data, TextWriter log)
    {
        if (options.Model == "cnn") return CnnTrainMode.Run(options, data, log);
        var model = ReferenceModel.Create(options.Seed);
        if (options.Verbose > 0) model.Summary();
        model.Fit(data.XTrain, data.YTrain, epochs: options.Epochs, batchSize: options.BatchSize, verbose: options.Verbose,
            validationData: (data.XVal, data.YVal));
        var results = model.Evaluate(data.XVal, data.YVal);
        log.WriteLine($"Validation: loss {results["loss"]:0.0000}, accuracy {results["accuracy"]:0.0000}");
        return results["accuracy"] < options.TargetAccuracy
            ? new ModeResult(false, $"Validation accuracy {results["accuracy"]:0.0000} is below the target {options.TargetAccuracy}.", model)
            : new ModeResult(true, "Trained.", model);
    }
}
