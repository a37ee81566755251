using Framework.Tensors;

namespace Framework.Training;

public abstract partial class Model
{
    /// <summary>Trains the model for a number of epochs on <paramref name="x"/> and <paramref name="y"/>.</summary>
    /// <param name="x">Inputs; the first dimension indexes samples.</param>
    /// <param name="y">Targets with as many samples as <paramref name="x"/>.</param>
    /// <param name="epochs">The epoch to stop at (exclusive, counting from 0, like Keras's <c>epochs</c>).</param>
    /// <param name="batchSize">Samples per gradient step; the last batch of an epoch may be smaller.</param>
    /// <param name="verbose">0 silent, 1 progress bar, 2 one line per epoch.</param>
    /// <param name="callbacks">Hooks called during training.</param>
    /// <param name="validationSplit">Fraction in [0, 1) of the samples, taken from the end before shuffling, used only for validation.</param>
    /// <param name="validationData">Separate validation inputs and targets; takes precedence over <paramref name="validationSplit"/>.</param>
    /// <param name="shuffle">Reshuffle the training samples before each epoch.</param>
    /// <param name="initialEpoch">The epoch to start from (to resume a run).</param>
    /// <returns>The per-epoch logs; validation values are prefixed <c>val_</c>.</returns>
    /// <exception cref="InvalidOperationException">The model is not compiled.</exception>
    /// <exception cref="ArgumentException">Sample counts differ, or an argument is out of range; the message names it.</exception>
    public History Fit(Tensor x, Tensor y, int epochs = 1, int batchSize = 32, int verbose = 1, IReadOnlyList<Callback>? callbacks = null,
        double validationSplit = 0, (Tensor X, Tensor Y)? validationData = null, bool shuffle = true, int initialEpoch = 0)
    {
        var (optimizer, _) = RequireCompiled(nameof(Fit));
        Batches.CheckSamples(x, y, nameof(Fit));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegative(epochs);
        ArgumentOutOfRangeException.ThrowIfNegative(initialEpoch);
        if (validationSplit is < 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(validationSplit), validationSplit, $"validationSplit must be in [0, 1); received validationSplit={validationSplit}.");
        if (validationData is null && validationSplit > 0)
        {
            int validationCount = (int)(x.Shape[0] * validationSplit);
            int trainCount = x.Shape[0] - validationCount;
            validationData = (x.Slice(trainCount, validationCount), y.Slice(trainCount, validationCount));
            (x, y) = (x.Slice(0, trainCount), y.Slice(0, trainCount));
        }

        var history = new History();
        var list = new CallbackList([.. callbacks ?? [], history, new ProgressLogger(verbose)]);
        int steps = Batches.Count(x.Shape[0], batchSize);
        list.Attach(this, new Dictionary<string, int> { ["epochs"] = epochs, ["steps"] = steps, ["samples"] = x.Shape[0], ["batch_size"] = batchSize, ["verbose"] = verbose });
        EnsureBuilt(x.Shape);
        optimizer.BuildFor(TrainableWeights);
        StopTraining = false;
        var labelRange = ClassLabels.RangeOf(y);   // one read of all labels instead of a device read per step
        _fitCallbacks = list.Callbacks;
        (_fitEpoch, _fitNextStep, _epochShuffleState) = (initialEpoch, 0, ShuffleGenerator.GetState());
        try
        {
            list.TrainBegin([]);
            // A BackupAndRestore callback may have handed over an interrupted run's state in OnTrainBegin.
            var resume = TakePendingResume();
            var epochLogs = new Logs();
            for (int epoch = resume?.Epoch ?? initialEpoch; epoch < epochs && !StopTraining; epoch++)
            {
                ResetMetrics();
                list.EpochBegin(epoch);
                int firstStep = 0;
                if (resume is not null)
                {
                    // Continue the interrupted epoch: same data order (drawn again from the same state), same running metrics.
                    ShuffleGenerator.SetState(resume.EpochShuffleState);
                    if (resume.Step > 0) RestoreMetricStates(resume);
                    if (resume.Stopped) StopTraining = true;
                    firstStep = resume.Step;
                    resume = null;
                }
                (_fitEpoch, _fitNextStep, _epochShuffleState) = (epoch, firstStep, ShuffleGenerator.GetState());
                using (var epochScope = TensorScope.Begin())
                {
                    var order = shuffle ? Batches.Permutation(x.Shape[0], ShuffleGenerator) : null;
                    for (int step = firstStep; step < steps && !StopTraining; step++)
                    {
                        list.BatchBegin(step);
                        // The step's own scope returns the gathered batch to the pool, so every step reuses the same buffers.
                        using (TensorScope.Begin())
                            TrainStep(Batches.Take(x, order, step, batchSize), Batches.Take(y, order, step, batchSize), labelRange);
                        _fitNextStep = step + 1;
                        // Reading the running loss and metrics is a synchronisation on libtorch: only when a callback reads them.
                        list.BatchEnd(step, list.WantBatchLogs(step) ? CurrentLogs() : []);
                    }
                }
                epochLogs = CurrentLogs();
                if (validationData is { } validation)
                {
                    foreach (var (key, value) in Evaluate(validation.X, validation.Y, batchSize, verbose: 0)) epochLogs["val_" + key] = value;
                }
                // From here on, a snapshot describes the start of the next epoch.
                (_fitEpoch, _fitNextStep, _epochShuffleState) = (epoch + 1, 0, ShuffleGenerator.GetState());
                list.EpochEnd(epoch, epochLogs);
            }
            list.TrainEnd(epochLogs);
        }
        catch
        {
            // A crash of Fit still lets callbacks finish what is pending (a background save) before the exception goes on.
            list.FitFailed();
            throw;
        }
        finally
        {
            _fitCallbacks = [];
        }
        return history;
    }

    /// <summary>One gradient step on one batch; returns the running logs of the current epoch.</summary>
    /// <exception cref="InvalidOperationException">The model is not compiled.</exception>
    public Logs TrainOnBatch(Tensor x, Tensor y)
    {
        var (optimizer, _) = RequireCompiled(nameof(TrainOnBatch));
        Batches.CheckSamples(x, y, nameof(TrainOnBatch));
        EnsureBuilt(x.Shape);
        optimizer.BuildFor(TrainableWeights);
        TrainStep(x, y);
        return CurrentLogs();
    }

    /// <summary>Forward, loss, backward and update inside a scope that recycles every temporary of the step.</summary>
    /// <param name="x">The batch's inputs.</param>
    /// <param name="y">The batch's targets.</param>
    /// <param name="labelRange">The range of the whole dataset's labels when Fit read it, so the loss and metrics need not check them again.</param>
    private void TrainStep(Tensor x, Tensor y, ClassLabels.LabelRange? labelRange = null)
    {
        var (optimizer, loss) = (Optimizer!, Loss!);
        var variables = TrainableWeights;
        using (TensorScope.Begin())
        {
            (x, y) = (x.To(Device), y.To(Device));   // batches of host data go to the model's backend
            using var vouch = labelRange is { } range ? ClassLabels.VouchFor(y, range) : default;
            var predictions = Apply(x, training: true);
            var value = loss.Compute(y, predictions);
            if (RegularizationLoss() is { } penalty) value += penalty;
            value.Backward();
            var gradients = new Tensor[variables.Count];
            for (int i = 0; i < gradients.Length; i++) gradients[i] = variables[i].Grad ?? variables[i].Value.ZerosLike();
            optimizer.Apply(gradients, variables);
            // All weights, not only the trained ones: a frozen layer's variables still receive gradients.
            foreach (var v in Weights) v.ZeroGrad();
            UpdateMetrics(value.Detach(), x.Shape[0], y, predictions.Detach());
        }
    }
}
