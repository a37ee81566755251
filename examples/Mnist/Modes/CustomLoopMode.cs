using Framework.Layers;
using Framework.Optimizers;
using Framework.Serialization;
using Framework.Tensors;

namespace Mnist.Modes;

/// <summary>Scenario c: a hand-written training loop checkpointed with <see cref="Checkpoint"/> and a
/// <see cref="CheckpointManager"/> keeping 3; run it again after an interruption and it continues from the latest checkpoint.</summary>
/// <remarks>
/// <para>The loop is what a user writes without <c>Fit</c>: forward, loss, <c>Backward</c>, <c>optimizer.Apply</c>, count the
/// step, save every <see cref="MnistOptions.SaveEverySteps"/>. The steps after the last checkpoint are redone on resume.</para>
/// <para>Resuming is exact because everything the loop depends on is either in the checkpoint or a function of the step:
/// the data order of each epoch is drawn from the seed and the epoch number, and the Dropout layer's mask stream is added
/// to the checkpoint explicitly (a model's own checkpoint keys are tf.keras's, which have no Dropout state).</para>
/// </remarks>
public static class CustomLoopMode
{
    /// <summary>Runs the mode: resumes from the latest checkpoint in the directory, if any, and trains to the last step.</summary>
    public static ModeResult Run(MnistOptions options, MnistSplit data, TextWriter log)
    {
        RandomGenerator.SetGlobalSeed(options.Seed);
        var model = ReferenceModel.Build();
        var optimizer = new Adam(learningRate: 0.001);
        var step = new Variable(Tensor.Scalar(0L, DType.Int64), "step", trainable: false);
        var masks = model.Layers.OfType<Dropout>().Single().RngStateVariable;
        var checkpoint = new Checkpoint(("model", model), ("optimizer", optimizer), ("step", step), ("dropout_masks", masks));
        var manager = new CheckpointManager(checkpoint, options.ResolvedCheckpointDir, maxToKeep: 3);
        string? restored = manager.RestoreOrInitialize();
        long first = step.Value.Item<long>();
        log.WriteLine(restored is null ? "No checkpoint: starting at step 0." : $"Restored {restored}: continuing at step {first}.");

        int samples = data.XTrain.Shape[0];
        int stepsPerEpoch = (samples + options.BatchSize - 1) / options.BatchSize;
        long total = (long)options.Epochs * stepsPerEpoch;
        var loss = ReferenceModel.NewLoss();
        var variables = model.TrainableWeights;
        (int Epoch, int[] Order) shuffled = (-1, []);
        (double Sum, int Count) losses = (0, 0);
        for (long s = first; s < total; s++)
        {
            if (options.StopAfterSteps > 0 && s - first == options.StopAfterSteps)
            {
                string last = manager.LatestCheckpoint is { } latest ? Path.GetFileName(latest) : "none";
                return new ModeResult(true, $"Stopped at step {s} as if interrupted (latest checkpoint: {last}); run again to continue.");
            }
            int epoch = (int)(s / stepsPerEpoch);
            if (shuffled.Epoch != epoch) shuffled = (epoch, new RandomGenerator(options.Seed).Split(epoch).Permutation(samples));
            int start = (int)(s % stepsPerEpoch) * options.BatchSize;
            var indices = Tensor.FromArray(shuffled.Order[start..Math.Min(start + options.BatchSize, samples)].Select(i => (long)i).ToArray());

            var value = loss.Compute(data.YTrain.Gather(indices), model.Apply(data.XTrain.Gather(indices), training: true));
            value.Backward();
            optimizer.Apply([.. variables.Select(v => v.Grad!)], variables);
            foreach (var v in variables) v.ZeroGrad();
            step.AssignAdd(Tensor.Scalar(1L, DType.Int64));
            losses = (losses.Sum + value.Cast(DType.Float64).Item<double>(), losses.Count + 1);

            bool epochEnd = (s + 1) % stepsPerEpoch == 0;
            if ((s + 1) % options.SaveEverySteps == 0 || s + 1 == total) manager.Save();
            if (epochEnd && options.Verbose > 0)
                log.WriteLine($"Epoch {epoch + 1}/{options.Epochs} (step {s + 1}): mean loss of its {losses.Count} steps in this run {losses.Sum / losses.Count:0.0000}, "
                    + $"validation accuracy {Accuracy(model, data):0.0000}");
            if (epochEnd) losses = (0, 0);
        }
        log.WriteLine($"Done at step {total}; checkpoints kept: {string.Join(", ", manager.Checkpoints.Select(Path.GetFileName))}.");
        return new ModeResult(true, $"Trained {total} steps; validation accuracy {Accuracy(model, data):0.0000}.", model);
    }

    private static double Accuracy(Framework.Training.Model model, MnistSplit data)
    {
        var predicted = model.Predict(data.XVal).ArgMax(-1).ToArray<long>();
        var labels = data.YVal.ToArray<long>();
        return predicted.Zip(labels).Count(p => p.First == p.Second) / (double)labels.Length;
    }
}
