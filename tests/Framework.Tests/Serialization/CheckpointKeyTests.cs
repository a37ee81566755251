using Framework.Serialization;
using Framework.Serialization.Protos;

namespace Framework.Tests.Serialization;

public class CheckpointKeyTests
{
    [TestCase("kernel", "kernel")]
    [TestCase("a/b.c", "a.Sb..c")]
    [TestCase(".S", "..S")]
    [TestCase("", "")]
    [TestCase("x/", "x.S")]
    public void EscapeLocalName_Examples_MatchTensorFlow(string name, string escaped)
    {
        Assert.That(CheckpointKey.EscapeLocalName(name), Is.EqualTo(escaped));
        Assert.That(CheckpointKey.UnescapeLocalName(escaped), Is.EqualTo(name));
    }

    [TestCase("a.b")]
    [TestCase("a.")]
    [TestCase("a/b")]
    public void UnescapeLocalName_Invalid_ThrowsArgumentException(string escaped)
    {
        var ex = Assert.Throws<ArgumentException>(() => CheckpointKey.UnescapeLocalName(escaped));
        Assert.That(ex!.Message, Does.Contain(escaped));
    }

    [Test]
    public void ForVariable_DenseKernel_IsKerasKey()
    {
        string path = CheckpointKey.JoinPath(["model", "layer_with_weights-0", "kernel"]);
        Assert.That(CheckpointKey.ForVariable(path), Is.EqualTo("model/layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE"));
    }

    [Test]
    public void ForSlot_AdamM_IsOptimizerSlotKey()
    {
        Assert.That(CheckpointKey.ForSlot("net/l1/kernel", "optimizer", "m"),
            Is.EqualTo("net/l1/kernel/.OPTIMIZER_SLOT/optimizer/m/.ATTRIBUTES/VARIABLE_VALUE"));
    }

    [Test]
    public void ForAttribute_NameWithSeparator_IsEscaped()
    {
        Assert.That(CheckpointKey.ForAttribute("a.Sb", "x/y"), Is.EqualTo("a.Sb/.ATTRIBUTES/x.Sy"));
    }

    /// <summary>Rebuilds every checkpoint_key of a real TensorFlow object graph from its breadth-first paths.
    /// The attribute counts are those listed in each fixture's ORIGIN.md graph.</summary>
    [TestCase("tf2_checkpoint_guide_adam_slots", "ckpt-40", 14)]
    [TestCase("tf2_checkpoint_keras_sequential_new_optimizer", "ckpt-19", 18)]
    [TestCase("keras_savedmodel_vars_lstm", "variables", 21)]
    [TestCase("keras_savedmodel_vars_mnist_mlp", "variables", 8)]
    [TestCase("savedmodel_vars_half_plus_two_tf2_snappy", "variables", 3)]
    public void KeyFunctions_RealObjectGraph_ReproduceEveryCheckpointKey(string fixture, string name, int expectedKeys)
    {
        using var reader = new TensorBundleReader(FixtureCatalog.Get(fixture, name).Prefix);
        var graph = TrackableObjectGraph.Parser.ParseFrom(reader.ReadStringBytes(CheckpointKey.ObjectGraphKey)[0]);
        var paths = new string?[graph.Nodes.Count];
        paths[0] = "";
        var queue = new Queue<int>([0]);
        while (queue.Count > 0)
        {
            int node = queue.Dequeue();
            foreach (var child in graph.Nodes[node].Children)
            {
                if (paths[child.NodeId] is not null)
                    continue;
                var names = paths[node]!.Length == 0 ? [] : new List<string> { paths[node]! };
                paths[child.NodeId] = string.Join('/', names.Append(CheckpointKey.EscapeLocalName(child.LocalName)));
                queue.Enqueue(child.NodeId);
            }
        }
        foreach (var (node, id) in graph.Nodes.Select((n, i) => (n, i)))
            foreach (var slot in node.SlotVariables)
                paths[slot.SlotVariableNodeId] = CheckpointKey.SlotPath(paths[slot.OriginalVariableNodeId]!, paths[id]!, slot.SlotName);
        int checkedKeys = 0;
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            foreach (var attribute in graph.Nodes[i].Attributes)
            {
                Assert.That(CheckpointKey.ForAttribute(paths[i]!, attribute.Name), Is.EqualTo(attribute.CheckpointKey), $"node {i}");
                if (attribute.Name == CheckpointKey.VariableValue)
                    Assert.That(reader.Contains(attribute.CheckpointKey), Is.True, attribute.CheckpointKey);
                checkedKeys++;
            }
        }
        Assert.That(checkedKeys, Is.EqualTo(expectedKeys));
    }
}
