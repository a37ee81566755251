using Framework.Tensors;

namespace Framework.Training;

public abstract partial class Model
{
    private readonly Mean _lossTracker = new("loss");

    /// <summary>The loss and metrics on <paramref name="x"/> and <paramref name="y"/>, computed in inference mode.</summary>
    /// <returns>The values by name: <c>loss</c>, then each compiled metric.</returns>
    /// <exception cref="InvalidOperationException">The model is not compiled.</exception>
    public Logs Evaluate(Tensor x, Tensor y, int batchSize = 32, int verbose = 0)
    {
        var (_, loss) = RequireCompiled(nameof(Evaluate));
        Batches.CheckSamples(x, y, nameof(Evaluate));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ResetMetrics();
        int steps = Batches.Count(x.Shape[0], batchSize);
        var labelRange = ClassLabels.RangeOf(y);   // one read of all labels instead of a device read per batch
        using (Autograd.NoGrad())
        {
            for (int step = 0; step < steps; step++)
            {
                using var scope = TensorScope.Begin();
                var xb = Batches.Take(x, step, batchSize).To(Device);
                var yb = Batches.Take(y, step, batchSize).To(Device);
                using var vouch = ClassLabels.VouchFor(yb, labelRange);
                var predictions = Apply(xb, training: false);
                var value = loss.Compute(yb, predictions);
                if (RegularizationLoss() is { } penalty) value += penalty;
                UpdateMetrics(value, xb.Shape[0], yb, predictions);
            }
        }
        var logs = CurrentLogs();
        if (verbose > 0) Console.WriteLine($"{steps}/{steps} - {logs}");
        return logs;
    }

    /// <summary>The model's outputs for <paramref name="x"/>, computed in inference mode batch by batch.</summary>
    public Tensor Predict(Tensor x, int batchSize = 32)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (x.Rank == 0) throw new ArgumentException($"Predict needs a batch of inputs; received a scalar.", nameof(x));
        EnsureBuilt(x.Shape);
        int steps = Batches.Count(x.Shape[0], batchSize);
        var outputs = new List<Tensor>(steps);
        using var scope = TensorScope.Begin();
        using (Autograd.NoGrad())
        {
            for (int step = 0; step < steps; step++) outputs.Add(Apply(Batches.Take(x, step, batchSize).To(Device), training: false));
        }
        if (outputs.Count == 0) return scope.Keep(Apply(x.To(Device), training: false).Detach());
        return scope.Keep(outputs.Count == 1 ? outputs[0].Clone() : Tensor.Concat(outputs));
    }

    private void ResetMetrics()
    {
        _lossTracker.Reset();
        foreach (var m in _metrics) m.Reset();
    }

    private void UpdateMetrics(Tensor loss, int batchSize, Tensor y, Tensor predictions)
    {
        // Keras weights each batch's loss by its size, so a short last batch counts for what it holds. The sums stay on
        // the model's device (no read, so no synchronisation per batch) until logs are asked for.
        _lossTracker.Add(loss, batchSize);
        foreach (var m in _metrics) m.Update(y, predictions);
    }

    private Logs CurrentLogs()
    {
        var logs = new Logs { ["loss"] = _lossTracker.Result() };
        foreach (var m in _metrics) logs[m.Name] = m.Result();
        return logs;
    }
}
