using Framework.Tests.Helpers;
using Framework.Serialization;
using Framework.Tensors;
using Framework.Tests.Serialization;
using Framework.Tests.Serialization.Checkpoints;
using Framework.Training;

namespace Framework.Tests.Training;

[TestFixtureSource(typeof(TestDevices), nameof(TestDevices.Both))]
public class ModelSaveTests(Device device) : OnDevice(device)
{
    private static Sequential Model(bool secondBias = true, int secondUnits = 10) =>
        new([new NamedLinear("dense", 6), new NamedLinear("dense_1", secondUnits, useBias: secondBias)], inputShape: [4]);

    [Test]
    public void LoadWeights_FreshUnbuiltModel_PredictsBitIdentically()
    {
        using var dir = new TempDirectory();
        var (x, _) = CheckpointModels.Data();
        var model = CheckpointModels.Trained();
        model.SaveWeights(dir.File("weights"));
        Assert.That(File.ReadAllText(dir.File("checkpoint")), Is.EqualTo("model_checkpoint_path: \"weights\"\nall_model_checkpoint_paths: \"weights\"\n"));
        BundleCheck.AssertValid(dir.File("weights"), "--strict");

        var fresh = CheckpointModels.NewModel();
        var report = fresh.LoadWeights(dir.File("weights"));
        Assert.That(fresh.IsBuilt, Is.False);
        Assert.That(fresh.Predict(x).ToArray<float>(), Is.EqualTo(model.Predict(x).ToArray<float>()));
        Assert.That(report.Missing, Is.Empty);
    }

    [Test]
    public void LoadWeights_CompiledBuiltModel_RestoresOptimizerState()
    {
        using var dir = new TempDirectory();
        var model = CheckpointModels.Trained();
        model.SaveWeights(dir.File("weights"));
        var fresh = CheckpointModels.NewModel();
        fresh.Compile(new TwoSlotOptimizer(), new MeanSquaredError());
        fresh.EnsureBuilt(new Shape(1, 4));
        var report = fresh.LoadWeights(dir.File("weights"));
        Assert.That(report.IsComplete, Is.True, report.ToString());
        Assert.That(fresh.Optimizer!.Iterations.Value.Item<long>(), Is.EqualTo(8));
        Assert.That(fresh.Optimizer.SlotVariables.Select(s => s.Slot.Value.ToArray<float>()), Is.EqualTo(model.Optimizer!.SlotVariables.Select(s => s.Slot.Value.ToArray<float>())));
    }

    [Test]
    public void LoadWeights_MissingBias_ThrowsAndNamesKey()
    {
        using var dir = new TempDirectory();
        Model(secondBias: false).SaveWeights(dir.File("ckpt-3"));
        var target = Model();
        var before = target.GetWeightValues();
        var e = Assert.Throws<CheckpointMismatchException>(() => target.LoadWeights(dir.File("ckpt-3")));
        Assert.That(e!.Message, Is.EqualTo(
            $"Checkpoint '{dir.File("ckpt-3")}' does not match the model: 1 key missing ('layer_with_weights-1/bias/.ATTRIBUTES/VARIABLE_VALUE' for variable 'dense_1/bias', shape (10,)), 0 unexpected. Pass strict: false to load what matches."));
        Assert.That(e.MissingKeys, Is.EqualTo(new[] { "layer_with_weights-1/bias/.ATTRIBUTES/VARIABLE_VALUE" }));
        Assert.That(e.UnexpectedKeys, Is.Empty);
        Assert.That(target.GetWeightValues(), Is.EqualTo(before), "a strict load that fails assigns nothing");
    }

    [Test]
    public void LoadWeights_UnexpectedAndShapeMismatch_MessageListsThem()
    {
        using var dir = new TempDirectory();
        Model().SaveWeights(dir.File("w"));
        var e = Assert.Throws<CheckpointMismatchException>(() => Model(secondBias: false, secondUnits: 3).LoadWeights(dir.File("w")));
        Assert.That(e!.Message, Is.EqualTo(
            $"Checkpoint '{dir.File("w")}' does not match the model: 0 keys missing, 1 unexpected ('layer_with_weights-1/bias/.ATTRIBUTES/VARIABLE_VALUE', shape (10,)), " +
            "1 with another shape or dtype ('layer_with_weights-1/kernel/.ATTRIBUTES/VARIABLE_VALUE': checkpoint (6, 10) DT_FLOAT, variable 'dense_1/kernel' (6, 3) DT_FLOAT). " +
            "Pass strict: false to load what matches."));
        Assert.That(e.UnexpectedKeys, Is.EqualTo(new[] { "layer_with_weights-1/bias/.ATTRIBUTES/VARIABLE_VALUE" }));
    }

    [Test]
    public void LoadWeights_NotStrict_LoadsWhatMatchesAndReports()
    {
        using var dir = new TempDirectory();
        var source = Model(secondBias: false);
        source.Layers[0].Weights[0].Assign(Tensor.Full(new Shape(4, 6), 3f));
        source.SaveWeights(dir.File("w"));
        var target = Model();
        var report = target.LoadWeights(dir.File("w"), strict: false);
        Assert.That(report.MissingKeys, Is.EqualTo(new[] { "layer_with_weights-1/bias/.ATTRIBUTES/VARIABLE_VALUE" }));
        Assert.That(report.Matched.Select(m => m.VariableName), Is.EquivalentTo(new[] { "dense/kernel", "dense/bias", "dense_1/kernel" }));
        Assert.That(target.Layers[0].Weights[0].Value.ToArray<float>(), Is.All.EqualTo(3f));
        Assert.That(target.Layers[1].Weights[1].Value.ToArray<float>()[0], Is.EqualTo(-0.01f), "the missing bias keeps its value");
    }

    [Test]
    public void LoadWeights_UncompiledBuiltModel_OptimizerStateWaitsForCompile()
    {
        using var dir = new TempDirectory();
        var model = CheckpointModels.Trained();
        model.SaveWeights(dir.File("w"));
        var fresh = CheckpointModels.NewModel();
        fresh.EnsureBuilt(new Shape(1, 4));
        var report = fresh.LoadWeights(dir.File("w"));
        Assert.That(report.Unexpected, Is.Empty);
        Assert.That(report.Deferred.Select(d => d.Key), Does.Contain("optimizer/iter/.ATTRIBUTES/VARIABLE_VALUE"));
        Assert.That(report.IsComplete, Is.False);
        fresh.Compile(new TwoSlotOptimizer(), new MeanSquaredError());
        Assert.That(fresh.Optimizer!.Iterations.Value.Item<long>(), Is.EqualTo(8), "restored when Compile attached the optimizer");
        fresh.Optimizer.BuildFor(fresh.TrainableWeights);
        Assert.That(fresh.Optimizer.SlotVariables.Select(s => s.Slot.Value.ToArray<float>()), Is.EqualTo(model.Optimizer!.SlotVariables.Select(s => s.Slot.Value.ToArray<float>())));
    }

    [Test]
    public void LoadWeights_UnbuiltModelOfOtherShape_FirstCallThrowsAndAssignsNothing()
    {
        using var dir = new TempDirectory();
        Model().SaveWeights(dir.File("w"));
        var target = new Sequential([new NamedLinear("dense", 6), new NamedLinear("dense_1", 3, start: 0.5f)]);
        var pending = target.LoadWeights(dir.File("w"));
        Assert.That(pending.Unexpected, Has.Count.EqualTo(4), "nothing can match before the build");
        var e = Assert.Throws<CheckpointMismatchException>(() => target.Predict(Tensor.Zeros(new Shape(2, 4))));
        Assert.That(e!.Message, Is.EqualTo(
            $"Checkpoint '{dir.File("w")}' does not match the model: 0 keys missing, 0 unexpected, 2 with another shape or dtype (" +
            "'layer_with_weights-1/kernel/.ATTRIBUTES/VARIABLE_VALUE': checkpoint (6, 10) DT_FLOAT, variable 'dense_1/kernel' (6, 3) DT_FLOAT; " +
            "'layer_with_weights-1/bias/.ATTRIBUTES/VARIABLE_VALUE': checkpoint (10,) DT_FLOAT, variable 'dense_1/bias' (3,) DT_FLOAT). Pass strict: false to load what matches."));
        Assert.That(target.Layers[0].Weights[0].Value.ToArray<float>()[0], Is.EqualTo(0.01f), "even the matching layer kept its initial values");
        Assert.That(target.Layers[1].Weights[0].Value.ToArray<float>()[0], Is.EqualTo(0.5f));
    }
}
