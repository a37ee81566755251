namespace Framework.Training;

/// <summary>Sets the optimizer's learning rate at the start of each epoch from a function of (epoch, current rate).</summary>
/// <param name="schedule">Returns the rate for the (0-based) epoch given the current rate; must be positive.</param>
/// <param name="verbose">Print the new rate each epoch when true.</param>
public sealed class LearningRateScheduler(Func<int, double, double> schedule, bool verbose = false) : Callback
{
    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch)
    {
        var optimizer = RequireModel().Optimizer ?? throw new InvalidOperationException("LearningRateScheduler needs a compiled model with an optimizer.");
        double rate = schedule(epoch, optimizer.LearningRate);
        if (!(rate > 0) || !double.IsFinite(rate))
            throw new InvalidOperationException($"LearningRateScheduler: the schedule returned {rate} for epoch {epoch}; learning rates must be positive and finite.");
        optimizer.LearningRate = rate;
        if (verbose) Console.WriteLine($"Epoch {epoch + 1}: LearningRateScheduler setting learning rate to {rate}.");
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, Logs logs) => logs["learning_rate"] = RequireModel().Optimizer!.LearningRate;
}
