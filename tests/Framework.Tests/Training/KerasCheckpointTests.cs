using Framework.Layers;
using Framework.Optimizers;
using Framework.Serialization;
using Framework.Tensors;
using Framework.Tests.Serialization;
using Framework.Training;

namespace Framework.Tests.Training;

/// <summary>Checkpoints of real Dense/Dropout/Adam models against tf.keras's layout and the Keras fixtures.</summary>
public class KerasCheckpointTests
{
    private static Sequential TrainedDenseDropoutDense(out Tensor x)
    {
        RandomGenerator.SetGlobalSeed(5);
        var model = new Sequential([new Dense(4), new Dropout(0.5), new Dense(2)], inputShape: [3]);
        model.Compile(new Adam(), new MeanSquaredError());
        x = Tensor.FromSpan<float>([.. Enumerable.Range(0, 24).Select(i => i / 10f)], new Shape(8, 3));
        var y = Tensor.FromSpan<float>([.. Enumerable.Range(0, 16).Select(i => i % 3 / 2f)], new Shape(8, 2));
        model.Fit(x, y, epochs: 2, batchSize: 4, verbose: 0);
        return model;
    }

    [Test]
    public void Save_DenseDropoutDenseAdam_KeySetEqualsTfKeras()
    {
        using var dir = new TempDirectory();
        var model = TrainedDenseDropoutDense(out _);
        string path = new Checkpoint(("model", model), ("optimizer", model.Optimizer!)).Save(dir.File("ckpt"));
        using var reader = new CheckpointReader(path);
        // Spec 3.4 (tf.train.Checkpoint(model=…, optimizer=…) over a Keras Sequential with OptimizerV2 Adam); the Dropout
        // is layer-1 and does not shift layer_with_weights-1, and writes no key at all (its mask generator's state is
        // not a tracked child, so the key set is exactly tf.keras's; training-state checkpoints save it separately).
        string[] expected =
        [
            "_CHECKPOINTABLE_OBJECT_GRAPH",
            .. new[] { 0, 1 }.SelectMany(i => new[] { "bias", "kernel" }.SelectMany(w => new[]
            {
                $"model/layer_with_weights-{i}/{w}/.ATTRIBUTES/VARIABLE_VALUE",
                $"model/layer_with_weights-{i}/{w}/.OPTIMIZER_SLOT/optimizer/m/.ATTRIBUTES/VARIABLE_VALUE",
                $"model/layer_with_weights-{i}/{w}/.OPTIMIZER_SLOT/optimizer/v/.ATTRIBUTES/VARIABLE_VALUE",
            })),
            "optimizer/beta_1/.ATTRIBUTES/VARIABLE_VALUE",
            "optimizer/beta_2/.ATTRIBUTES/VARIABLE_VALUE",
            "optimizer/decay/.ATTRIBUTES/VARIABLE_VALUE",
            "optimizer/iter/.ATTRIBUTES/VARIABLE_VALUE",
            "optimizer/learning_rate/.ATTRIBUTES/VARIABLE_VALUE",
            "save_counter/.ATTRIBUTES/VARIABLE_VALUE",
        ];
        Assert.That(reader.ListVariables().Select(v => v.Key), Is.EqualTo(expected));
        Assert.That(reader.ListVariables().Single(v => v.Key == "optimizer/iter/.ATTRIBUTES/VARIABLE_VALUE").DataType, Is.EqualTo("DT_INT64"));
        Assert.That(reader.GetVariableToShapeMap()["model/layer_with_weights-1/kernel/.ATTRIBUTES/VARIABLE_VALUE"], Is.EqualTo(new Shape(4, 2)));
        var (code, output) = BundleCheck.Run(path, "--strict");
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Not.Contain("WARNING"), output);
    }

    [Test]
    public void LoadWeights_FreshUnbuiltDenseModelWithAdam_PredictsAndTrainsIdentically()
    {
        using var dir = new TempDirectory();
        var model = TrainedDenseDropoutDense(out var x);
        model.SaveWeights(dir.File("weights"));
        var fresh = new Sequential([new Dense(4), new Dropout(0.5), new Dense(2)]);
        fresh.LoadWeights(dir.File("weights"));
        Assert.That(fresh.Predict(x).ToArray<float>(), Is.EqualTo(model.Predict(x).ToArray<float>()));

        var compiled = new Sequential([new Dense(4), new Dropout(0.5), new Dense(2)], inputShape: [3]);
        compiled.Compile(new Adam(), new MeanSquaredError());
        var report = compiled.LoadWeights(dir.File("weights"));
        Assert.That(report.IsComplete, Is.True, report.ToString());
        Assert.That(compiled.Optimizer!.SlotVariables.Select(s => s.Slot.Value.ToArray<float>()),
            Is.EqualTo(model.Optimizer!.SlotVariables.Select(s => s.Slot.Value.ToArray<float>())));
    }

    [Test]
    public void LoadWeights_KerasMnistMlpSavedModelVariables_ValuesFromOrigin()
    {
        var model = new Sequential([new Flatten(), new Dense(100, activation: "relu"), new Dense(10, activation: "softmax")], inputShape: [28, 28]);
        string prefix = FixturePaths.Fixture("keras_savedmodel_vars_mnist_mlp", "variables");
        // Strict loading skips Keras's metric state under keras_api/, as Keras's own loader does; the report still lists it.
        var report = model.LoadWeights(prefix);
        Assert.That(report.UnexpectedKeys, Has.Count.EqualTo(4).And.All.StartWith("keras_api/metrics/"));
        Assert.That(report.Missing, Is.Empty);
        Assert.That(report.Matched, Has.Count.EqualTo(4));
        var dense0 = model.Layers[1].Weights;
        Assert.That(dense0[0].Value.ToArray<float>()[..4], Is.EqualTo(new[] { -0.038003013f, 0.024796717f, 0.03240955f, 0.062201887f }));
        Assert.That(dense0[1].Value.ToArray<float>()[..4], Is.EqualTo(new[] { 0.08347002f, 0.07402898f, 0.022620318f, -0.023428204f }));
        var dense1 = model.Layers[2].Weights;
        Assert.That(dense1[0].Value.ToArray<float>()[..4], Is.EqualTo(new[] { -0.17666905f, 0.1871311f, -0.019351779f, -0.1655277f }));
        Assert.That(dense1[1].Value.ToArray<float>(), Is.EqualTo(new[]
        {
            -0.059007958f, 0.068300046f, -0.007097859f, -0.058544885f, 0.028445996f, 0.08932297f, -0.0315014f, 0.039773952f, -0.02760068f, -0.020968303f,
        }));
    }

    [Test]
    public void Restore_KerasNewOptimizerLayout_MapsVariablesToAdamSlots()
    {
        var model = new Sequential([new Dense(9, activation: "relu"), new Dense(9, activation: "softmax")], inputShape: [9]);
        model.Compile(new Adam(), new MeanSquaredError());
        var standalone = new Adam();
        var step = new Variable(Tensor.Scalar(0, DType.Int32), "step", trainable: false);
        var checkpoint = new Checkpoint(("net", model), ("optimizer", standalone), ("step", step));
        var status = checkpoint.Restore(Path.Combine(FixturePaths.Fixtures, "tf2_checkpoint_keras_sequential_new_optimizer"));
        Assert.That(KerasOptimizerLayout.Restore(status, model), Is.True);

        var weights = model.TrainableWeights;
        Assert.That(weights[0].Value.ToArray<float>()[..4], Is.EqualTo(new[] { 0.3806498f, -0.5041583f, 0.42943814f, -0.055708587f }));
        Assert.That(weights[3].Value.ToArray<float>(), Is.EqualTo(new[] { -0.16004235f, -0.036624845f, -0.1325159f, -0.09986483f, 0.03991726f, -0.13832961f, -0.03854954f, -0.011495354f, -0.11993307f }));
        var adam = model.Optimizer!;
        Variable SlotOf(int i, string name) => adam.SlotVariables.Single(s => ReferenceEquals(s.Original, weights[i]) && s.SlotName == name).Slot;
        Assert.That(adam.Iterations.Value.Item<long>(), Is.EqualTo(316));
        Assert.That(SlotOf(0, "m").Value.ToArray<float>()[..4], Is.EqualTo(new[] { 0.00000000066774763f, 0.007972361f, 0.002710478f, 0f }));
        Assert.That(SlotOf(0, "v").Value.ToArray<float>()[..4], Is.EqualTo(new[] { 0.0009921665f, 0.0052654273f, 0.0010737671f, 0f }));
        Assert.That(SlotOf(1, "v").Value.ToArray<float>(), Is.EqualTo(new[] { 0.00065677235f, 0.0038175434f, 0.0005708139f, 0f, 0f, 0.0009267179f, 0.0012007377f, 0.001768944f, 0.0021467383f }));
        Assert.That(SlotOf(3, "m").Value.ToArray<float>(), Is.EqualTo(new[] { 0.01797259f, -0.00083659345f, 0.024562337f, 0.006669099f, -0.004656027f, 0.00544839f, 0.0005748728f, -0.00027540803f, 0.0035655661f }));
        Assert.That(step.Value.Item<int>(), Is.EqualTo(1));
        Assert.That(checkpoint.SaveCounter.Value.Item<long>(), Is.EqualTo(19));
        Assert.That(standalone.Iterations.Value.Item<long>(), Is.EqualTo(0));
        var unexpected = status.Report.UnexpectedKeys;
        Assert.That(unexpected.Where(k => k.StartsWith("net/", StringComparison.Ordinal)), Is.Empty, string.Join(", ", unexpected));
    }
}
