using Framework.Training;

namespace Mnist.Modes;

/// <summary>Fault tolerance: <see cref="BackupAndRestore"/> backs the whole training state up every
/// <see cref="MnistOptions.SaveEverySteps"/> batches; killing the process and running it again continues exactly.</summary>
/// <remarks><see cref="MnistOptions.StopAfterSteps"/> simulates the kill by throwing from a callback, so nothing after the
/// last backup is saved and <c>Fit</c> never reaches its end (where the backups would be deleted).</remarks>
public static class ResumeMode
{
    /// <summary>Runs the mode.</summary>
    public static ModeResult Run(MnistOptions options, MnistSplit data, TextWriter log)
    {
        var model = ReferenceModel.Create(options.Seed);
        var backup = new BackupAndRestore(options.ResolvedCheckpointDir, SaveFrequency.EveryBatches(options.SaveEverySteps));
        int batches = 0;
        var killer = new LambdaCallback
        {
            BatchEnd = (_, _) =>
            {
                if (++batches == options.StopAfterSteps) throw new SimulatedInterruption();
            },
        };
        try
        {
            model.Fit(data.XTrain, data.YTrain, epochs: options.Epochs, batchSize: options.BatchSize, verbose: options.Verbose,
                validationData: (data.XVal, data.YVal), callbacks: [backup, killer]);
        }
        catch (SimulatedInterruption)
        {
            return new ModeResult(true, $"Stopped after {batches} batches as if killed{From(backup)}; run again to continue from the last backup.");
        }
        var results = model.Evaluate(data.XVal, data.YVal);
        return new ModeResult(true, $"Finished{From(backup)}: validation accuracy {results["accuracy"]:0.0000}.", model);
    }

    private static string From(BackupAndRestore backup) => backup.RestoredFrom is { } path ? $" (resumed from {path})" : "";

    /// <summary>Thrown to stop training the way a kill would: no callback gets to finish.</summary>
    private sealed class SimulatedInterruption : Exception
    {
        public SimulatedInterruption()
            : base("Simulated interruption.")
        {
        }
    }
}
