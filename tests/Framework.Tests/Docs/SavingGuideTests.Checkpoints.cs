using System.Text.Json.Nodes;
using Framework.Layers;
using Framework.Optimizers;
using Framework.Serialization;
using Framework.Tensors;
using Framework.Training;

namespace Framework.Tests.Docs;

/// <summary>The guide's snippets on BackupAndRestore, tf.train.Checkpoint-style checkpoints, corruption and PyTorch habits.</summary>
public partial class SavingGuideTests
{
    // ---- BackupAndRestore ----

    private static Sequential BackupModel()
    {
        RandomGenerator.SetGlobalSeed(5);
        var model = new Sequential([new Dense(16, activation: "relu"), new Dropout(0.2), new Dense(2, activation: "softmax")]);
        model.Compile("adam", "sparse_categorical_crossentropy", ["accuracy"]);
        return model;
    }

    [Test]
    public void BackupAndRestore_RunAgainAfterCrash_EqualsUninterruptedRun()
    {
        var (x, y) = Data();
        var uninterrupted = BackupModel();
        uninterrupted.Fit(x, y, epochs: 4, batchSize: 8, verbose: 0);

        var crashed = BackupModel();
        var crash = new LambdaCallback { EpochBegin = epoch => { if (epoch == 2) throw new OperationCanceledException("killed"); } };
        Assert.Throws<OperationCanceledException>(() =>
            crashed.Fit(x, y, epochs: 4, batchSize: 8, verbose: 0, callbacks: [crash, new BackupAndRestore("runs/backup", SaveFrequency.EveryBatches(3))]));

        var model = BackupModel();
        string output = CaptureOut(() => BackupSnippet(model, x, y));
        Assert.That(output, Does.Contain("runs").And.Not.Contain("started fresh"));
        Assert.That(model.GetWeightValues(), Is.EqualTo(uninterrupted.GetWeightValues()));
        Assert.That(Directory.Exists("runs/backup") && Directory.EnumerateFiles("runs/backup").Any(), Is.False, "deleted when training completed");
    }

    private static void BackupSnippet(Model model, Tensor x, Tensor y)
    {
        // Snippet: backup-and-restore
        // Run the same program again after a crash: Fit continues from the last backup, bit-exactly.
        var backup = new BackupAndRestore("runs/backup", SaveFrequency.EveryBatches(3));
        model.Fit(x, y, epochs: 4, batchSize: 8, verbose: 0, callbacks: [backup]);
        Console.WriteLine(backup.RestoredFrom ?? "started fresh");
        // End of snippet.
    }

    // Snippet: callback-state
    public sealed class BatchCounter : Callback
    {
        public long Batches { get; private set; }

        public override void OnBatchEnd(int batch, Logs logs) => Batches++;

        public override JsonObject? GetState() => new() { ["batches"] = Batches };

        public override void SetState(JsonObject state) => Batches = state["batches"]!.GetValue<long>();
    }
    // End of snippet.

    // Snippet: metric-state
    public sealed class PositiveRate() : Metric("positive_rate")
    {
        private double _positives;
        private double _count;

        public override void Update(Tensor targets, Tensor predictions)
        {
            float[] p = predictions.ToArray<float>();   // (batch, 2) probabilities
            for (int i = 1; i < p.Length; i += 2) _positives += p[i] > 0.5f ? 1 : 0;
            _count += p.Length / 2;
        }

        public override double Result() => _count == 0 ? 0 : _positives / _count;

        public override void Reset() => (_positives, _count) = (0, 0);

        public override double[] GetState() => [_positives, _count];

        public override void SetState(IReadOnlyList<double> state)
        {
            CheckStateLength(state, 2);
            (_positives, _count) = (state[0], state[1]);
        }
    }
    // End of snippet.

    [Test]
    public void BackupAndRestore_CustomCallbackAndMetric_ResumeTheirState()
    {
        var (x, y) = Data();
        Sequential NewModel()
        {
            RandomGenerator.SetGlobalSeed(5);
            var model = new Sequential([new Dense(8, activation: "relu"), new Dense(2, activation: "softmax")]);
            model.Compile(new Adam(), new SparseCategoricalCrossentropy(), [new PositiveRate()]);
            return model;
        }

        var reference = new BatchCounter();
        var uninterruptedHistory = NewModel().Fit(x, y, epochs: 3, batchSize: 8, verbose: 0, callbacks: [reference]);

        var crash = new LambdaCallback { BatchEnd = (batch, _) => { if (batch == 4) throw new OperationCanceledException("killed"); } };
        Assert.Throws<OperationCanceledException>(() => NewModel().Fit(x, y, epochs: 3, batchSize: 8, verbose: 0,
            callbacks: [new BatchCounter(), new BackupAndRestore("runs/backup", SaveFrequency.EveryBatches(2)), crash]));

        var counter = new BatchCounter();
        var history = NewModel().Fit(x, y, epochs: 3, batchSize: 8, verbose: 0, callbacks: [counter, new BackupAndRestore("runs/backup", SaveFrequency.EveryBatches(2))]);
        Assert.That(counter.Batches, Is.EqualTo(reference.Batches));
        Assert.That(history["positive_rate"], Is.EqualTo(uninterruptedHistory["positive_rate"]));
    }

    // ---- tf.train.Checkpoint ----

    [Test]
    public void Checkpoint_SaveAndRestore_RestoresModelOptimizerAndStep()
    {
        var (x, y) = Data();
        var model = TrainedModel(x, y);
        Model fresh = null!;
        Variable freshStep = null!;
        string output = CaptureOut(() => (fresh, freshStep) = CheckpointSnippet(model, x, y));
        Assert.That(output, Does.Contain("0 unexpected").And.Contain("8 deferred"));
        Assert.That(freshStep.Value.Item<long>(), Is.EqualTo(100));
        Assert.That(fresh.GetWeightValues(), Is.EqualTo(model.GetWeightValues()));
        Assert.That(fresh.Optimizer!.Iterations.Value.Item<long>(), Is.EqualTo(model.Optimizer!.Iterations.Value.Item<long>()));
        var inference = InferenceSnippet();
        Assert.That(inference.Predict(x).ToArray<float>(), Is.EqualTo(model.Predict(x).ToArray<float>()));

        // The Adam slots reported as deferred are restored when the optimizer creates them: training continues identically.
        model.Fit(x, y, epochs: 1, verbose: 0, shuffle: false);
        fresh.Fit(x, y, epochs: 1, verbose: 0, shuffle: false);
        Assert.That(fresh.GetWeightValues(), Is.EqualTo(model.GetWeightValues()));
    }

    private static (Model, Variable) CheckpointSnippet(Model model, Tensor x, Tensor y)
    {
        // Snippet: checkpoint
        var step = new Variable(Tensor.Scalar(100, DType.Int64), "step", trainable: false);
        var checkpoint = new Checkpoint(("model", model), ("optimizer", model.Optimizer!), ("step", step));
        string path = checkpoint.Save("runs/ckpt/ckpt");   // runs/ckpt/ckpt-1, recorded in runs/ckpt/checkpoint

        var fresh = new Sequential([new Dense(16, activation: "relu"), new Dense(2, activation: "softmax")], inputShape: [4]);
        fresh.Compile("adam", "sparse_categorical_crossentropy", ["accuracy"]);
        var freshStep = new Variable(Tensor.Scalar(0, DType.Int64), "step", trainable: false);
        var restore = new Checkpoint(("model", fresh), ("optimizer", fresh.Optimizer!), ("step", freshStep));
        var status = restore.Restore(CheckpointState.LatestCheckpoint("runs/ckpt")!);
        status.AssertExistingObjectsMatched();   // every variable that exists now got a value
        Console.WriteLine(status.Report);         // "8 deferred": the Adam slots, restored when the first step creates them
        // End of snippet.
        return (fresh, freshStep);
    }

    private static Model InferenceSnippet()
    {
        // Snippet: checkpoint-partial
        // Only the model of a training checkpoint: the optimizer and step values are left over on purpose.
        var inference = new Sequential([new Dense(16, activation: "relu"), new Dense(2, activation: "softmax")]);
        new Checkpoint(("model", inference)).Restore("runs/ckpt").ExpectPartial().AssertNontrivialMatch();
        // End of snippet.
        return inference;
    }

    // ---- Custom training loop with CheckpointManager (scenario c) ----

    private static (Tensor X, Tensor Y) Batch(long step)
    {
        var generator = new RandomGenerator(1000 + step);
        var x = Tensor.RandomNormal([16, 3], generator: generator);
        var y = Tensor.FromArray(Enumerable.Range(0, 16).Select(_ => (long)generator.NextInt(2)).ToArray());
        return (x, y);
    }

    [Test]
    public void CustomLoop_InterruptedAndRunAgain_EqualsUninterruptedLoop()
    {
        RandomGenerator.SetGlobalSeed(3);
        var uninterrupted = CustomLoopSnippet("runs/reference", steps: 30);

        RandomGenerator.SetGlobalSeed(3);
        CustomLoopSnippet("runs/loop", steps: 18);   // "crashes" after step 18
        RandomGenerator.SetGlobalSeed(4);           // the restart's fresh initialization is overwritten by the restore
        var resumed = CustomLoopSnippet("runs/loop", steps: 30);

        Assert.That(resumed.GetWeightValues(), Is.EqualTo(uninterrupted.GetWeightValues()));
        Assert.That(Directory.GetFiles("runs/loop", "*.index").Select(Path.GetFileName).Order(), Is.EqualTo(new[] { "ckpt-5.index", "ckpt-6.index", "ckpt-7.index" }));
        string output = CaptureOut(() => ReaderSnippet());
        Assert.That(output, Does.Contain("step/.ATTRIBUTES/VARIABLE_VALUE: DT_INT64 ()").And.Contain("28"));
    }

    private static Model CustomLoopSnippet(string directory, long steps)
    {
        // Snippet: custom-loop
        var model = new Sequential([new Dense(8, activation: "tanh"), new Dense(2)]);
        var optimizer = new Adam(0.05);
        var step = new Variable(Tensor.Scalar(0, DType.Int64), "step", trainable: false);
        var manager = new CheckpointManager(new Checkpoint(("model", model), ("optimizer", optimizer), ("step", step)), directory, maxToKeep: 3);
        manager.RestoreOrInitialize();   // the newest intact checkpoint; nothing on the first run

        var loss = new SparseCategoricalCrossentropy(fromLogits: true);
        for (long s = step.Value.Item<long>(); s < steps; s++)
        {
            var (x, y) = Batch(s);       // the data of step s
            loss.Compute(y, model.Apply(x, training: true)).Backward();
            var variables = model.TrainableWeights;
            optimizer.Apply([.. variables.Select(v => v.Grad!)], variables);
            foreach (var v in variables) v.ZeroGrad();
            step.AssignAdd(Tensor.Scalar(1, DType.Int64));
            if ((s + 1) % 4 == 0) manager.Save();   // runs/loop/ckpt-N; only the 3 newest are kept
        }
        // End of snippet.
        return model;
    }

    private static void ReaderSnippet()
    {
        // Snippet: reader
        string latest = CheckpointState.LatestCheckpoint("runs/loop")!;   // tf.train.latest_checkpoint
        using var reader = new CheckpointReader(latest);                  // tf.train.load_checkpoint
        foreach (var variable in reader.ListVariables()) Console.WriteLine(variable);   // tf.train.list_variables
        Console.WriteLine(reader.GetTensor("step/.ATTRIBUTES/VARIABLE_VALUE"));
        // End of snippet.
    }

    [Test]
    public void CheckpointManager_IntervalAndHours_SkipsUntilTheStepAdvanced()
    {
        var (first, second) = ManagerOptionsSnippet();
        Assert.That(first, Is.Not.Null);
        Assert.That(second, Is.Null);
    }

    private static (string?, string?) ManagerOptionsSnippet()
    {
        // Snippet: manager-options
        var step = new Variable(Tensor.Scalar(0, DType.Int64), "step", trainable: false);
        var weights = new Variable(Tensor.Zeros([3]), "w");
        var manager = new CheckpointManager(new Checkpoint(("w", weights), ("step", step)), "runs/long",
            maxToKeep: 3, keepCheckpointEveryNHours: 2, stepCounter: step, checkpointInterval: 1000);
        string? first = manager.Save();    // runs/long/ckpt-1
        step.AssignAdd(Tensor.Scalar(10, DType.Int64));
        string? second = manager.Save();   // null: the step advanced by 10, fewer than 1000
        // End of snippet.
        return (first, second);
    }

    [Test]
    public void TrackableRandomGenerator_Restore_RepeatsTheDraws()
    {
        var (first, again) = RandomSnippet();
        Assert.That(again, Is.EqualTo(first));
    }

    private static (float[], float[]) RandomSnippet()
    {
        // Snippet: random
        var generator = new RandomGenerator(7);
        var checkpoint = new Checkpoint(("noise", new TrackableRandomGenerator(generator)));
        string path = checkpoint.Save("runs/rng/ckpt");
        var first = new float[4];
        generator.FillNormal(first, 0f, 1f);

        checkpoint.Restore(path);   // the generator is back where it was saved
        var again = new float[4];
        generator.FillNormal(again, 0f, 1f);   // the same numbers as first
        // End of snippet.
        return (first, again);
    }

    // ---- Estimator-style timed saving (scenario d) ----

    [Test]
    public void CheckpointSaver_ShortRun_SavesAtStartAndEnd()
    {
        var (x, y) = Data();
        var model = TrainedModel(x, y);
        var manager = TimedSnippet(model, x, y);
        Assert.That(manager.Checkpoints.Select(Path.GetFileName), Is.EqualTo(new[] { "ckpt-1", "ckpt-2" }), "training took less than 600 s");
        var restored = new Sequential([new Dense(16, activation: "relu"), new Dense(2, activation: "softmax")]);
        new Checkpoint(("model", restored)).Restore(manager.LatestCheckpoint!).ExpectPartial();
        Assert.That(restored.Predict(x).ToArray<float>(), Is.EqualTo(model.Predict(x).ToArray<float>()));
    }

    private static CheckpointManager TimedSnippet(Model model, Tensor x, Tensor y)
    {
        // Snippet: timed
        var manager = new CheckpointManager(new Checkpoint(("model", model), ("optimizer", model.Optimizer!)), "runs/timed", maxToKeep: 5);
        model.Fit(x, y, epochs: 3, verbose: 0, callbacks: [new CheckpointSaver(manager, TimeSpan.FromSeconds(600))]);
        // End of snippet.
        return manager;
    }

    // ---- Corruption ----

    [Test]
    public void LoadWeights_CorruptData_ThrowsNamingTheFileAndAssignsNothing()
    {
        var (x, y) = Data();
        TrainedModel(x, y).SaveWeights("runs/weights");
        string data = "runs/weights.data-00000-of-00001";
        var bytes = File.ReadAllBytes(data);
        bytes[10] ^= 0xFF;
        File.WriteAllBytes(data, bytes);
        var model = new Sequential([new Dense(16, activation: "relu"), new Dense(2, activation: "softmax")], inputShape: [4]);
        var before = model.GetWeightValues();
        string output = CaptureOut(() => CorruptSnippet(model));
        Assert.That(output, Does.Contain("runs/weights.data-00000-of-00001").And.Contain("layer_with_weights-0/kernel").And.Contain("CRC32C mismatch"));
        Assert.That(model.GetWeightValues(), Is.EqualTo(before));
    }

    private static void CorruptSnippet(Model model)
    {
        // Snippet: corrupt
        try
        {
            model.LoadWeights("runs/weights");
        }
        catch (InvalidDataException e)
        {
            Console.WriteLine(e.Message);   // the file, the key and the CRC mismatch; the model is unchanged
        }
        // End of snippet.
    }

    // ---- PyTorch habits ----

    [Test]
    public void PyTorchStyle_StateDictAndDictionaryCheckpoint_RoundTrip()
    {
        var (x, y) = Data();
        var model = TrainedModel(x, y);
        var (other, report) = PyTorchSnippet(model);
        Assert.That(report.IsComplete, Is.False, "the uncompiled model defers the optimizer state");
        Assert.That(other.Predict(x).ToArray<float>(), Is.EqualTo(model.Predict(x).ToArray<float>()));
        using var reader = new CheckpointReader("runs/torch/ckpt");
        Assert.That(reader.GetTensor("epoch/.ATTRIBUTES/VARIABLE_VALUE").Item<long>(), Is.EqualTo(5));
    }

    private static (Model, CheckpointMatchReport) PyTorchSnippet(Model model)
    {
        // Snippet: pytorch
        // torch.save(model.state_dict(), path) / other.load_state_dict(torch.load(path), strict=False)
        model.SaveWeights("runs/torch/model");
        var other = new Sequential([new Dense(16, activation: "relu"), new Dense(2, activation: "softmax")]);
        var report = other.LoadWeights("runs/torch/model", strict: false);   // report.MissingKeys, report.UnexpectedKeys

        // torch.save({"model": ..., "optimizer": ..., "epoch": 5}, path)
        var epoch = new Variable(Tensor.Scalar(5, DType.Int64), "epoch", trainable: false);
        new Checkpoint(("model", model), ("optimizer", model.Optimizer!), ("epoch", epoch)).Write("runs/torch/ckpt");
        // End of snippet.
        return (other, report);
    }
}
