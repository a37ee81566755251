using Framework.Serialization;
using Framework.Tensors;
using Framework.Tests.Helpers;
using Framework.Training;

namespace Framework.Tests.Serialization.Checkpoints;

public class ObjectGraphBuilderTests
{
    [Test]
    public void Build_SequentialWithSlots_KeysAndNumberingFollowTensorFlow()
    {
        var model = CheckpointModels.Trained(epochs: 1);
        var checkpoint = new Checkpoint(("model", model), ("optimizer", model.Optimizer!));
        checkpoint.SaveCounter.Assign(Tensor.Scalar(1, DType.Int64));
        var nodes = ObjectGraphBuilder.Build(checkpoint);
        var keys = nodes.Where(n => n.ValueKey is not null).Select(n => n.ValueKey!).Order(StringComparer.Ordinal).ToArray();
        string[] expected =
        [
            "model/layer_with_weights-0/bias/.ATTRIBUTES/VARIABLE_VALUE",
            "model/layer_with_weights-0/bias/.OPTIMIZER_SLOT/optimizer/m/.ATTRIBUTES/VARIABLE_VALUE",
            "model/layer_with_weights-0/bias/.OPTIMIZER_SLOT/optimizer/v/.ATTRIBUTES/VARIABLE_VALUE",
            "model/layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE",
            "model/layer_with_weights-0/kernel/.OPTIMIZER_SLOT/optimizer/m/.ATTRIBUTES/VARIABLE_VALUE",
            "model/layer_with_weights-0/kernel/.OPTIMIZER_SLOT/optimizer/v/.ATTRIBUTES/VARIABLE_VALUE",
            "model/layer_with_weights-1/bias/.ATTRIBUTES/VARIABLE_VALUE",
            "model/layer_with_weights-1/bias/.OPTIMIZER_SLOT/optimizer/m/.ATTRIBUTES/VARIABLE_VALUE",
            "model/layer_with_weights-1/bias/.OPTIMIZER_SLOT/optimizer/v/.ATTRIBUTES/VARIABLE_VALUE",
            "model/layer_with_weights-1/kernel/.ATTRIBUTES/VARIABLE_VALUE",
            "model/layer_with_weights-1/kernel/.OPTIMIZER_SLOT/optimizer/m/.ATTRIBUTES/VARIABLE_VALUE",
            "model/layer_with_weights-1/kernel/.OPTIMIZER_SLOT/optimizer/v/.ATTRIBUTES/VARIABLE_VALUE",
            .. model.Optimizer!.Children.Select(c => $"optimizer/{c.Name}/.ATTRIBUTES/VARIABLE_VALUE"),
            "save_counter/.ATTRIBUTES/VARIABLE_VALUE",
        ];
        Assert.That(keys, Is.EquivalentTo(expected));
        Assert.That(model.Optimizer.Children.Select(c => c.Name), Does.Contain("iter").And.Contain("learning_rate"));
        // Spec 3.4: root children model, optimizer, save_counter; the model lists layer_with_weights-K then layer-N
        // (one node for both), then its compiled optimizer, which keeps its first path.
        Assert.That(nodes[0].Children, Is.EqualTo(new[] { ("model", 1), ("optimizer", 2), ("save_counter", 3) }));
        Assert.That(nodes[1].Children.Select(c => c.Name), Is.EqualTo(new[] { "layer_with_weights-0", "layer-0", "layer-1", "layer_with_weights-1", "layer-2", "optimizer" }));
        Assert.That(nodes[1].Children[0].Id, Is.EqualTo(nodes[1].Children[1].Id));
        Assert.That(nodes[1].Children[5].Id, Is.EqualTo(2));
        int firstSlot = nodes.FindIndex(n => n.Path.Contains(".OPTIMIZER_SLOT", StringComparison.Ordinal));
        Assert.That(nodes.Skip(firstSlot).All(n => n.Path.Contains(".OPTIMIZER_SLOT", StringComparison.Ordinal)), Is.True, "slot nodes come last");
        Assert.That(nodes[2].Slots.Select(s => s.SlotName), Is.EqualTo(new[] { "m", "m", "m", "m", "v", "v", "v", "v" }));
        // The layers' kernel/bias nodes come after the optimizer's hyperparameters (breadth-first), then the slots.
        int firstWeight = 7 + model.Optimizer.Children.Count;
        Assert.That(nodes[firstWeight].Path, Is.EqualTo("model/layer_with_weights-0/kernel"));
        int[] weights = [firstWeight, firstWeight + 1, firstWeight + 2, firstWeight + 3];
        Assert.That(nodes[2].Slots.Select(s => s.Original), Is.EqualTo(weights.Concat(weights)));
        Assert.That(nodes[2].Slots.Select(s => s.Slot), Is.EqualTo(Enumerable.Range(firstWeight + 4, 8)));
    }

    [Test]
    public void Build_EscapesLocalNames()
    {
        var root = new Checkpoint(("a/b.c", new Variable(Tensor.Scalar(1f), "x", trainable: false)));
        var nodes = ObjectGraphBuilder.Build(root);
        Assert.That(nodes[1].ValueKey, Is.EqualTo("a.Sb..c/.ATTRIBUTES/VARIABLE_VALUE"));
    }

    [Test]
    public void Save_ModelAndOptimizer_PassesIndependentCheckerWithoutWarnings()
    {
        using var dir = new TempDirectory();
        var model = CheckpointModels.Trained(epochs: 1);
        var step = new Variable(Tensor.Scalar(7, DType.Int64), "step", trainable: false);
        var rng = new TrackableRandomGenerator(new RandomGenerator(5));
        string path = new Checkpoint(("model", model), ("optimizer", model.Optimizer!), ("step", step), ("rng", rng)).Save(dir.File("ckpt"));
        Assert.That(path, Is.EqualTo(dir.File("ckpt-1")));
        BundleCheck.AssertValid(path, "--strict");
        var (_, output) = BundleCheck.Run(path, "--strict");
        Assert.That(output, Does.Not.Contain("WARNING"), output);
    }

    [Test]
    public void SaveWeights_UnbuiltModel_OnlyGraph()
    {
        using var dir = new TempDirectory();
        var model = new Sequential([new TestLinear(3)]);
        model.SaveWeights(dir.File("w"));
        using var reader = new CheckpointReader(dir.File("w"));
        Assert.That(reader.ListVariables().Select(v => v.Key), Is.EqualTo(new[] { CheckpointKey.ObjectGraphKey }));
        BundleCheck.AssertValid(dir.File("w"), "--strict");
    }
}
