using Framework.Serialization;
using Framework.Tensors;
using Framework.Tests.Helpers;
using Framework.Training;

namespace Framework.Tests.Serialization.Checkpoints;

public class CheckpointTests
{
    [Test]
    public void SaveRestore_ModelOptimizerStepRng_RestoresEverything()
    {
        using var dir = new TempDirectory();
        var model = CheckpointModels.Trained();
        var step = new Variable(Tensor.Scalar(12, DType.Int64), "step", trainable: false);
        var rng = new RandomGenerator(77);
        rng.NextUInt64();
        string path = new Checkpoint(("model", model), ("optimizer", model.Optimizer!), ("step", step), ("rng", new TrackableRandomGenerator(rng))).Save(dir.File("ckpt"));
        ulong[] expectedDraws = [rng.NextUInt64(), rng.NextUInt64()];

        var fresh = CheckpointModels.NewModel();
        fresh.Compile(new TwoSlotOptimizer(), new MeanSquaredError());
        fresh.EnsureBuilt(new Shape(1, 4));
        fresh.Optimizer!.BuildFor(fresh.TrainableWeights);
        var freshStep = new Variable(Tensor.Scalar(0, DType.Int64), "step", trainable: false);
        var freshRng = new RandomGenerator(1);
        var checkpoint = new Checkpoint(("model", fresh), ("optimizer", fresh.Optimizer!), ("step", freshStep), ("rng", new TrackableRandomGenerator(freshRng)));
        var status = checkpoint.Restore(path);

        status.AssertConsumed().AssertExistingObjectsMatched().AssertNontrivialMatch();
        Assert.That(CheckpointModels.Values(fresh), Is.EqualTo(CheckpointModels.Values(model)));
        Assert.That(freshStep.Value.Item<long>(), Is.EqualTo(12));
        Assert.That(checkpoint.SaveCounter.Value.Item<long>(), Is.EqualTo(1));
        Assert.That(fresh.Optimizer.Iterations.Value.Item<long>(), Is.EqualTo(model.Optimizer!.Iterations.Value.Item<long>()));
        Assert.That(fresh.Optimizer.SlotVariables.Select(s => s.Slot.Value.ToArray<float>()), Is.EqualTo(model.Optimizer.SlotVariables.Select(s => s.Slot.Value.ToArray<float>())));
        Assert.That(new[] { freshRng.NextUInt64(), freshRng.NextUInt64() }, Is.EqualTo(expectedDraws));
        Assert.That(status.Report.Matched, Has.Count.EqualTo(12 + fresh.Optimizer.Children.Count + 1 + 1 + 1));
    }

    [Test]
    public void Restore_UnbuiltModelAndOptimizer_AssignsOnCreationAndResumesIdentically()
    {
        using var dir = new TempDirectory();
        var (x, y) = CheckpointModels.Data();
        var model = CheckpointModels.Trained();
        string path = new Checkpoint(("model", model)).Save(dir.File("ckpt"));

        var fresh = CheckpointModels.NewModel();
        fresh.Compile(new TwoSlotOptimizer(), new MeanSquaredError());
        var status = new Checkpoint(("model", fresh)).Restore(path);
        Assert.That(status.Report.Unexpected, Is.Not.Empty, "values wait for the layers to be built");
        Assert.Throws<InvalidOperationException>(() => status.AssertConsumed());

        Assert.That(fresh.Predict(x).ToArray<float>(), Is.EqualTo(model.Predict(x).ToArray<float>()));
        RandomGenerator.SetGlobalSeed(3);
        model.ShuffleGenerator = new RandomGenerator(4);
        fresh.ShuffleGenerator = new RandomGenerator(4);
        model.Fit(x, y, epochs: 1, batchSize: 8, verbose: 0);
        fresh.Fit(x, y, epochs: 1, batchSize: 8, verbose: 0);
        Assert.That(CheckpointModels.Values(fresh), Is.EqualTo(CheckpointModels.Values(model)), "optimizer slots were restored when created");
        status.AssertConsumed();
    }

    [Test]
    public void Restore_CorruptNewestCheckpoint_ThrowsNamingFileAndAssignsNothing()
    {
        using var dir = new TempDirectory();
        var model = CheckpointModels.Trained();
        var checkpoint = new Checkpoint(("model", model));
        checkpoint.Save(dir.File("ckpt"));
        string newest = checkpoint.Save(dir.File("ckpt"));
        string data = newest + ".data-00000-of-00001";
        byte[] bytes = File.ReadAllBytes(data);
        bytes[^40] ^= 0x55;
        File.WriteAllBytes(data, bytes);

        var target = CheckpointModels.Trained(epochs: 1);
        var before = CheckpointModels.Values(target);
        var e = Assert.Throws<InvalidDataException>(() => new Checkpoint(("model", target)).Restore(dir.Path));
        Assert.That(e!.Message, Does.Contain(data));
        Assert.That(CheckpointModels.Values(target), Is.EqualTo(before));
    }

    [Test]
    public void Restore_GuideFixtureWithSlots_ValuesFromOrigin()
    {
        var net = new GuideNet();
        var optimizer = new TwoSlotOptimizer();
        var step = new Variable(Tensor.Scalar(0, DType.Int32), "step", trainable: false);
        var checkpoint = new Checkpoint(("net", net), ("optimizer", optimizer), ("step", step));
        var status = checkpoint.Restore(FixturePaths.Fixture("tf2_checkpoint_guide_adam_slots", "ckpt-40"));
        net.Apply(Tensor.Zeros(new Shape(1, 1)));    // weights created after the restore receive their values
        optimizer.BuildFor(net.TrainableWeights);   // and so do slots

        Assert.That(net.L1.Weights[0].Value.ToArray<float>(), Is.EqualTo(new[] { 4.9742975f, 5.0239987f, 4.9707627f, 5.0260377f, 4.9618587f }));
        Assert.That(net.L1.Weights[1].Value.ToArray<float>(), Is.EqualTo(new[] { 0.0027683703f, 1.0311308f, 1.9899427f, 3.010947f, 4.0087276f }));
        var m = optimizer.SlotVariables.Single(s => s.SlotName == "m" && ReferenceEquals(s.Original, net.L1.Weights[0])).Slot;
        Assert.That(m.Value.ToArray<float>(), Is.EqualTo(new[] { -0.09258342f, 0.07859019f, -0.0913619f, 0.08228545f, -0.09258349f }));
        var v = optimizer.SlotVariables.Single(s => s.SlotName == "v" && ReferenceEquals(s.Original, net.L1.Weights[1])).Slot;
        Assert.That(v.Value.ToArray<float>(), Is.EqualTo(new[] { 0.0124745965f, 0.012210088f, 0.012530073f, 0.012677292f, 0.012929457f }));
        Assert.That(optimizer.Iterations.Value.Item<long>(), Is.EqualTo(399));
        Assert.That(step.Value.Item<int>(), Is.EqualTo(400));
        Assert.That(checkpoint.SaveCounter.Value.Item<long>(), Is.EqualTo(40));
        status.AssertExistingObjectsMatched();
        // Saved Adam hyperparameters that this two-slot optimizer does not have stay unexpected, as does the tf.data iterator.
        string[] unmatchedHyperparameters = [.. new[] { "beta_1", "beta_2", "decay" }.Where(h => !optimizer.Children.Any(c => c.Name == h))];
        Assert.That(status.Report.UnexpectedKeys, Is.EquivalentTo(
            unmatchedHyperparameters.Select(h => $"optimizer/{h}/.ATTRIBUTES/VARIABLE_VALUE").Append("iterator/.ATTRIBUTES/ITERATOR")));
        Assert.Throws<InvalidOperationException>(() => status.AssertConsumed());
    }

    [Test]
    public void Restore_ShapeMismatch_ReportedAndNotAssigned()
    {
        using var dir = new TempDirectory();
        var saved = new Variable(Tensor.FromSpan<float>([1, 2, 3], new Shape(3)), "w", trainable: false);
        string path = new Checkpoint(("w", saved)).Write(dir.File("w"));
        var live = new Variable(Tensor.Zeros(new Shape(2)), "w2", trainable: false);
        var status = new Checkpoint(("w", live)).Read(path);
        var mismatch = status.Report.Mismatches.Single();
        Assert.That(mismatch.ToString(), Is.EqualTo("'w/.ATTRIBUTES/VARIABLE_VALUE': checkpoint (3,) DT_FLOAT, variable 'w2' (2,) DT_FLOAT"));
        Assert.That(live.Value.ToArray<float>(), Is.EqualTo(new[] { 0f, 0f }));
        Assert.Throws<InvalidOperationException>(() => status.AssertExistingObjectsMatched());
        Assert.Throws<InvalidOperationException>(() => status.AssertNontrivialMatch());
        Assert.That(status.ExpectPartial().IsPartialExpected, Is.True);
    }

    [Test]
    public void Write_NoCounterNoStateFile_ReadDoesNotCreateCounter()
    {
        using var dir = new TempDirectory();
        var w = new Variable(Tensor.Scalar(2f), "w", trainable: false);
        var checkpoint = new Checkpoint(("w", w));
        checkpoint.Write(dir.File("plain"));
        Assert.That(dir.FileNames(), Is.EqualTo(new[] { "plain.data-00000-of-00001", "plain.index" }));
        var other = new Checkpoint(("w", new Variable(Tensor.Scalar(0f), "w", trainable: false)));
        other.Read(dir.File("plain")).AssertConsumed();
        Assert.That(other.Children.Select(c => c.Name), Is.EqualTo(new[] { "w" }));
    }

    [Test]
    public void Save_StateFileNamesNewestRelative()
    {
        using var dir = new TempDirectory();
        var checkpoint = new Checkpoint(("w", new Variable(Tensor.Scalar(2f), "w", trainable: false)));
        checkpoint.Save(dir.File("ckpt"));
        checkpoint.Save(dir.File("ckpt"));
        Assert.That(File.ReadAllText(dir.File("checkpoint")), Is.EqualTo("model_checkpoint_path: \"ckpt-2\"\nall_model_checkpoint_paths: \"ckpt-2\"\n"));
        Assert.That(CheckpointState.LatestCheckpoint(dir.Path), Is.EqualTo(dir.File("ckpt-2")));
    }

    [Test]
    public void Constructor_DuplicateOrReservedName_Throws()
    {
        var w = new Variable(Tensor.Scalar(2f), "w", trainable: false);
        Assert.Throws<ArgumentException>(() => _ = new Checkpoint(("a", w), ("a", w)));
        Assert.Throws<ArgumentException>(() => _ = new Checkpoint(("save_counter", w)));
    }

    [Test]
    public void Restore_Tf1BundleOrMissingFile_ClearErrors()
    {
        var checkpoint = new Checkpoint(("w", new Variable(Tensor.Scalar(0f), "w", trainable: false)));
        string tf1 = FixturePaths.Fixture("savedmodel_vars_counter_tf1", "variables");
        var e = Assert.Throws<InvalidDataException>(() => checkpoint.Restore(tf1));
        Assert.That(e!.Message, Does.Contain(tf1 + ".index").And.Contain("not an object-based (TF2) checkpoint"));
        string missing = Path.Combine(Path.GetTempPath(), "fw-no-such-checkpoint", "ckpt-1");
        var notFound = Assert.Throws<FileNotFoundException>(() => checkpoint.Restore(missing));
        Assert.That(notFound!.Message, Does.Contain(missing + ".index"));
    }
}
