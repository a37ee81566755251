namespace Framework.Training;

/// <summary>Calls each hook on every callback in order.</summary>
internal sealed class CallbackList(IReadOnlyList<Callback> callbacks)
{
    public IReadOnlyList<Callback> Callbacks { get; } = callbacks;

    public void Attach(Model model, IReadOnlyDictionary<string, int> parameters)
    {
        foreach (var c in Callbacks)
        {
            c.Model = model;
            c.Params = parameters;
        }
    }

    public void TrainBegin(Logs logs) { foreach (var c in Callbacks) c.OnTrainBegin(logs); }

    public void TrainEnd(Logs logs) { foreach (var c in Callbacks) c.OnTrainEnd(logs); }

    public void FitFailed() { foreach (var c in Callbacks) c.OnFitFailed(); }

    public void EpochBegin(int epoch) { foreach (var c in Callbacks) c.OnEpochBegin(epoch); }

    public void EpochEnd(int epoch, Logs logs)
    {
        foreach (var c in Callbacks) c.OnEpochEnd(epoch, logs);
        foreach (var c in Callbacks) c.AfterEpochEnd(epoch, logs);
    }

    public void BatchBegin(int batch) { foreach (var c in Callbacks) c.OnBatchBegin(batch); }

    /// <summary>Whether any callback reads the logs of batch <paramref name="batch"/> (see <see cref="Callback.WantsBatchLogs"/>).</summary>
    public bool WantBatchLogs(int batch)
    {
        foreach (var c in Callbacks)
        {
            if (c.WantsBatchLogs(batch)) return true;
        }
        return false;
    }

    public void BatchEnd(int batch, Logs logs)
    {
        foreach (var c in Callbacks) c.OnBatchEnd(batch, logs);
        foreach (var c in Callbacks) c.AfterBatchEnd(batch, logs);
    }
}
