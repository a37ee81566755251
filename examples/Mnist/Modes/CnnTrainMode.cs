namespace Mnist.Modes;

/// <summary><c>--model cnn</c>: fit Keras's MNIST CNN, report test accuracy, save the model, fail below the target.</summary>
public static class CnnTrainMode
{
    /// <summary>Runs the mode; the model is saved to <c>mnist_cnn</c> under the checkpoint directory.</summary>
    public static ModeResult Run(MnistOptions options, MnistSplit data, TextWriter log)
    {
        var model = CnnModel.Create(options.Seed);
        if (options.Verbose > 0) model.Summary();
        var (xTrain, xVal) = (CnnModel.Images(data.XTrain), CnnModel.Images(data.XVal));
        model.Fit(xTrain, data.YTrain, epochs: options.Epochs, batchSize: options.BatchSize, verbose: options.Verbose, validationData: (xVal, data.YVal));
        var results = model.Evaluate(xVal, data.YVal, batchSize: 1000);
        log.WriteLine($"Test: loss {results["loss"]:0.0000}, accuracy {results["accuracy"]:0.0000}");
        string path = Path.Combine(options.ResolvedCheckpointDir, "mnist_cnn");
        model.Save(path);
        log.WriteLine($"Saved the model to {path}.");
        return results["accuracy"] < options.TargetAccuracy
            ? new ModeResult(false, $"Test accuracy {results["accuracy"]:0.0000} is below the target {options.TargetAccuracy}.", model)
            : new ModeResult(true, "Trained.", model);
    }
}
