using Framework.Layers;
using Framework.Optimizers;
using Framework.Serialization;
using Framework.Tensors;
using Framework.Tests.Serialization;
using Framework.Training;

namespace Framework.Tests.Training.Scenarios;

/// <summary>Scenario c of the saving guide: a hand-written training loop checkpointed with
/// <c>Checkpoint(model, optimizer, step)</c> and <c>CheckpointManager(maxToKeep: 3)</c>, interrupted and resumed.</summary>
public class CustomLoopCheckpointTests
{
    private const int TotalSteps = 30;
    private const int SaveEvery = 4;

    private sealed class Run
    {
        public Run()
        {
            RandomGenerator.SetGlobalSeed(3);
            Model = new Sequential([new Dense(8, activation: "tanh"), new Dense(2)]);
            Optimizer = new Adam(0.05);
            Step = new Variable(Tensor.Scalar(0L, DType.Int64), "step", trainable: false);
            Checkpoint = new Checkpoint(("model", Model), ("optimizer", Optimizer), ("step", Step));
        }

        public Sequential Model { get; }

        public Adam Optimizer { get; }

        public Variable Step { get; }

        public Checkpoint Checkpoint { get; }
    }

    private static (Tensor X, Tensor Y) Batch(long step)
    {
        // The data depend only on the step, as a resumable input pipeline's position would.
        var generator = new RandomGenerator(1000 + step);
        var x = Tensor.RandomNormal([16, 3], generator: generator);
        var y = Tensor.FromArray(Enumerable.Range(0, 16).Select(_ => (long)generator.NextInt(2)).ToArray());
        return (x, y);
    }

    /// <summary>The loop a user writes: forward, loss, backward, apply, count, save every few steps; stops after <paramref name="stopAt"/>.</summary>
    private static void Train(Run run, CheckpointManager? manager, long stopAt = TotalSteps)
    {
        var loss = new SparseCategoricalCrossentropy(fromLogits: true);
        for (long step = run.Step.Value.Item<long>(); step < stopAt; step++)
        {
            var (x, y) = Batch(step);
            var value = loss.Compute(y, run.Model.Apply(x, training: true));
            var variables = run.Model.TrainableWeights;
            value.Backward();
            run.Optimizer.Apply([.. variables.Select(v => v.Grad!)], variables);
            foreach (var v in variables) v.ZeroGrad();
            run.Step.AssignAdd(Tensor.Scalar(1L, DType.Int64));
            if ((step + 1) % SaveEvery == 0) manager?.Save();
        }
    }

    [Test]
    public void CustomLoop_InterruptedAndResumedFromLatest_EqualsUninterruptedLoop()
    {
        var uninterrupted = new Run();
        Train(uninterrupted, manager: null);

        using var dir = new TempDirectory();
        var first = new Run();
        Train(first, new CheckpointManager(first.Checkpoint, dir.Path, maxToKeep: 3), stopAt: 18);   // "crashes" after step 18

        var second = new Run();
        var manager = new CheckpointManager(second.Checkpoint, dir.Path, maxToKeep: 3);
        Assert.That(manager.RestoreOrInitialize(), Is.EqualTo(dir.File("ckpt-4")), "restored the latest of steps 4, 8, 12, 16");
        Assert.That(second.Step.Value.Item<long>(), Is.EqualTo(16), "steps 17 and 18 are redone");
        Train(second, manager);

        Assert.That(second.Model.GetWeightValues(), Is.EqualTo(uninterrupted.Model.GetWeightValues()));
        Assert.That(second.Optimizer.Iterations.Value.Item<long>(), Is.EqualTo(TotalSteps));
        Assert.That(manager.Checkpoints.Select(Path.GetFileName), Is.EqualTo(new[] { "ckpt-5", "ckpt-6", "ckpt-7" }), "three kept, numbering continued");
        Assert.That(CheckpointState.LatestCheckpoint(dir.Path), Is.EqualTo(dir.File("ckpt-7")));
    }
}
