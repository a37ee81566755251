namespace Framework.Training;

/// <summary>A callback built from delegates, for one-off hooks without a subclass.</summary>
public sealed class LambdaCallback : Callback
{
    /// <summary>Runs at the start of each epoch.</summary>
    public Action<int>? EpochBegin { get; init; }

    /// <summary>Runs at the end of each epoch.</summary>
    public Action<int, Logs>? EpochEnd { get; init; }

    /// <summary>Runs before each batch.</summary>
    public Action<int>? BatchBegin { get; init; }

    /// <summary>Runs after each batch.</summary>
    public Action<int, Logs>? BatchEnd { get; init; }

    /// <summary>Runs before training.</summary>
    public Action<Logs>? TrainBegin { get; init; }

    /// <summary>Runs after training.</summary>
    public Action<Logs>? TrainEnd { get; init; }

    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch) => EpochBegin?.Invoke(epoch);

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, Logs logs) => EpochEnd?.Invoke(epoch, logs);

    /// <inheritdoc/>
    public override void OnBatchBegin(int batch) => BatchBegin?.Invoke(batch);

    /// <inheritdoc/>
    public override void OnBatchEnd(int batch, Logs logs) => BatchEnd?.Invoke(batch, logs);

    /// <inheritdoc/>
    public override bool WantsBatchLogs(int batch) => BatchEnd is not null;

    /// <inheritdoc/>
    public override void OnTrainBegin(Logs logs) => TrainBegin?.Invoke(logs);

    /// <inheritdoc/>
    public override void OnTrainEnd(Logs logs) => TrainEnd?.Invoke(logs);
}
