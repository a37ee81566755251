using Framework.Serialization;
using Framework.Serialization.Protos;
using Framework.Tensors;

namespace Framework.Tests.Serialization;

public class TensorBundleReaderTests
{
    private static IEnumerable<FixtureBundle> AllBundles => FixtureCatalog.Bundles;

    [TestCaseSource(nameof(AllBundles))]
    public void Entries_Fixture_ListExactlyTheKeysDtypesShapesOfOrigin(FixtureBundle bundle)
    {
        using var reader = new TensorBundleReader(bundle.Prefix);
        Assert.That(reader.ShardCount, Is.EqualTo(bundle.Shards));
        Assert.That(reader.Entries.Select(e => e.Key), Is.EqualTo(bundle.Tensors.Select(t => t.Key)));
        foreach (var (entry, expected) in reader.Entries.Zip(bundle.Tensors))
        {
            Assert.That(entry.DataType, Is.EqualTo(expected.DataType), entry.Key);
            Assert.That(entry.Shape, Is.EqualTo(new Shape(expected.Shape)), entry.Key);
            Assert.That(entry.ShardId, Is.EqualTo(expected.Shard), entry.Key);
            Assert.That(entry.Offset, Is.EqualTo(expected.Offset), entry.Key);
            Assert.That(entry.Size, Is.EqualTo(expected.Size), entry.Key);
            Assert.That(entry.MaskedCrc32C, Is.EqualTo(expected.Crc), entry.Key);
        }
    }

    [TestCaseSource(nameof(AllBundles))]
    public void Read_Fixture_YieldsTheValuesOfOrigin(FixtureBundle bundle)
    {
        using var reader = new TensorBundleReader(bundle.Prefix);
        foreach (var expected in bundle.Tensors.Where(t => t.Count is not null))
        {
            double[] actual = ReadAsDoubles(reader, expected.Key);
            Assert.That(actual, Has.Length.EqualTo(expected.Count), expected.Key);
            for (int i = 0; i < expected.Values.Length; i++)
            {
                // ORIGIN.md prints float32 values with the shortest round-trip digits, so they convert back exactly.
                double want = expected.DataType == 1 ? (float)expected.Values[i] : expected.Values[i];
                Assert.That(actual[i], Is.EqualTo(want), $"{expected.Key}[{i}]");
            }
        }
    }

    [TestCaseSource(nameof(AllBundles))]
    public void ReadBytes_EveryTensorOfFixture_VerifiesCrc(FixtureBundle bundle)
    {
        using var reader = new TensorBundleReader(bundle.Prefix);
        foreach (var entry in reader.Entries)
            Assert.That(reader.ReadBytes(entry.Key), Has.Length.EqualTo(entry.Size), entry.Key);
    }

    [TestCase("tf2_checkpoint_guide_adam_slots", "ckpt-39", "ckpt-40")]
    [TestCase("tf2_checkpoint_keras_sequential_new_optimizer", "ckpt-17", "ckpt-19")]
    [TestCase("tf2_checkpoint_keras_sequential_new_optimizer", "ckpt-18", "ckpt-19")]
    public void Entries_SiblingCheckpoint_HasSameKeysAndVerifies(string fixture, string name, string documented)
    {
        using var reader = new TensorBundleReader(Path.Combine(FixturePaths.Fixtures, fixture, name));
        var expected = FixtureCatalog.Get(fixture, documented);
        Assert.That(reader.Entries.Select(e => (e.Key, e.DataType, e.Shape.ToString())),
            Is.EqualTo(expected.Tensors.Select(t => (t.Key, t.DataType, new Shape(t.Shape).ToString()))));
        foreach (var entry in reader.Entries)
            Assert.That(() => reader.ReadBytes(entry.Key), Throws.Nothing, entry.Key);
    }

    [TestCase("tf2_checkpoint_guide_adam_slots", "ckpt-40", 18, "iterator")]
    [TestCase("savedmodel_vars_half_plus_two_tf2_snappy", "variables", 24, "a")]
    [TestCase("tf2_checkpoint_object_graph_only", "easy_checkpoint", 2, "l1")]
    [TestCase("keras_savedmodel_vars_mnist_mlp", "variables", -1, null)]
    [TestCase("keras_savedmodel_vars_lstm", "variables", -1, null)]
    [TestCase("tf2_checkpoint_keras_sequential_new_optimizer", "ckpt-19", -1, null)]
    public void ReadStringBytes_ObjectGraph_IsTheDocumentedTrackableObjectGraph(string fixture, string name, int nodes, string? firstChild)
    {
        var bundle = FixtureCatalog.Get(fixture, name);
        using var reader = new TensorBundleReader(bundle.Prefix);
        byte[][] graph = reader.ReadStringBytes(CheckpointKey.ObjectGraphKey);
        Assert.That(graph, Has.Length.EqualTo(1));
        string note = bundle.Tensors.Single(t => t.Key == CheckpointKey.ObjectGraphKey).Note;
        Assert.That(note, Does.Contain($"({graph[0].Length} bytes)"));
        var parsed = TrackableObjectGraph.Parser.ParseFrom(graph[0]);
        if (nodes >= 0)
            Assert.That(parsed.Nodes, Has.Count.EqualTo(nodes));
        if (firstChild is not null)
            Assert.That(parsed.Nodes[0].Children[0].LocalName, Is.EqualTo(firstChild));
    }

    [Test]
    public void ReadStringBytes_GuideObjectGraph_HasSlotVariablesOfOrigin()
    {
        using var reader = new TensorBundleReader(FixtureCatalog.Get("tf2_checkpoint_guide_adam_slots", "ckpt-40").Prefix);
        var graph = TrackableObjectGraph.Parser.ParseFrom(reader.ReadStringBytes(CheckpointKey.ObjectGraphKey)[0]);
        var slots = graph.Nodes[3].SlotVariables.Select(s => (s.OriginalVariableNodeId, s.SlotName, s.SlotVariableNodeId));
        Assert.That(slots, Is.EqualTo(new[] { (12, "m", 14), (13, "m", 15), (12, "v", 16), (13, "v", 17) }));
        Assert.That(graph.Nodes[14].Attributes[0].CheckpointKey,
            Is.EqualTo("net/l1/kernel/.OPTIMIZER_SLOT/optimizer/m/.ATTRIBUTES/VARIABLE_VALUE"));
        Assert.That(graph.Nodes[7].Attributes[0].FullName, Is.EqualTo("Adam/iter"));
    }

    [Test]
    public void ReadBytes_Variant_ReturnsRawIteratorStateWithVerifiedCrc()
    {
        using var reader = new TensorBundleReader(FixtureCatalog.Get("tf2_checkpoint_guide_adam_slots", "ckpt-40").Prefix);
        var entry = reader.GetEntry("iterator/.ATTRIBUTES/ITERATOR_STATE");
        Assert.That(entry.DType, Is.Null);
        Assert.That(entry.DataType, Is.EqualTo(21));
        byte[] raw = reader.ReadBytes(entry.Key);
        Assert.That(raw, Has.Length.EqualTo(181));
        Assert.That(System.Text.Encoding.ASCII.GetString(raw), Does.Contain("tensorflow::Iterator"));
    }

    [Test]
    public void Read_TypedAccessors_ReturnValuesAndDtypes()
    {
        using var reader = new TensorBundleReader(FixtureCatalog.Get("tf2_checkpoint_guide_adam_slots", "ckpt-40").Prefix);
        Assert.That(reader.Read<int>("step/.ATTRIBUTES/VARIABLE_VALUE"), Is.EqualTo(new[] { 400 }));
        Assert.That(reader.Read<long>("optimizer/iter/.ATTRIBUTES/VARIABLE_VALUE"), Is.EqualTo(new[] { 399L }));
        var kernel = reader.GetEntry("net/l1/kernel/.ATTRIBUTES/VARIABLE_VALUE");
        Assert.That(kernel.DType, Is.EqualTo(DType.Float32));
        Assert.That(kernel.ToString(), Is.EqualTo("net/l1/kernel/.ATTRIBUTES/VARIABLE_VALUE: DT_FLOAT (1, 5)"));
        var span = new byte[20];
        reader.ReadInto(kernel.Key, span);
        Assert.That(BitConverter.ToSingle(span, 0), Is.EqualTo(4.9742975f));
    }

    [Test]
    public void Read_ManyThreadsAtOnce_AllGetVerifiedValues()
    {
        var bundle = FixtureCatalog.Get("keras_savedmodel_vars_mnist_mlp", "variables");
        using var reader = new TensorBundleReader(bundle.Prefix);
        var numeric = bundle.Tensors.Where(t => t.DataType == 1).ToArray();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 200, i =>
        {
            var tensor = numeric[i % numeric.Length];
            float first = reader.Read<float>(tensor.Key)[0];
            if (first != (float)tensor.Values[0])
                failures.Add(tensor.Key);
        });
        Assert.That(failures, Is.Empty);
    }

    [Test]
    public void Read_WrongElementType_ThrowsNamingKeyAndDtype()
    {
        using var reader = new TensorBundleReader(FixtureCatalog.Get("tf2_checkpoint_guide_adam_slots", "ckpt-40").Prefix);
        var ex = Assert.Throws<InvalidOperationException>(() => reader.Read<float>("step/.ATTRIBUTES/VARIABLE_VALUE"));
        Assert.That(ex!.Message, Does.Contain("step/.ATTRIBUTES/VARIABLE_VALUE").And.Contain("DT_INT32").And.Contain("float32"));
    }

    [Test]
    public void GetEntry_MissingKey_ThrowsKeyNotFoundNamingKey()
    {
        using var reader = new TensorBundleReader(FixtureCatalog.Get("savedmodel_vars_counter_tf1", "variables").Prefix);
        var ex = Assert.Throws<KeyNotFoundException>(() => reader.GetEntry("nope"));
        Assert.That(ex!.Message, Does.Contain("'nope'"));
        Assert.That(reader.Contains("counter"), Is.True);
        Assert.That(reader.TryGetEntry("nope", out _), Is.False);
    }

    [Test]
    public void ReadInto_WrongDestinationLength_ThrowsArgumentException()
    {
        using var reader = new TensorBundleReader(FixtureCatalog.Get("savedmodel_vars_counter_tf1", "variables").Prefix);
        var ex = Assert.Throws<ArgumentException>(() => reader.ReadInto("counter", new byte[3]));
        Assert.That(ex!.ParamName, Is.EqualTo("destination"));
        Assert.That(ex.Message, Does.Contain("4 bytes").And.Contain("3"));
    }

    [Test]
    public void ReadBytes_AfterDispose_ThrowsObjectDisposed()
    {
        var reader = new TensorBundleReader(FixtureCatalog.Get("savedmodel_vars_counter_tf1", "variables").Prefix);
        reader.Dispose();
        Assert.Throws<ObjectDisposedException>(() => reader.ReadBytes("counter"));
    }

    [Test]
    public void Constructor_MissingIndex_ThrowsFileNotFoundWithPath()
    {
        string prefix = Path.Combine(Path.GetTempPath(), "no-such-checkpoint-" + Guid.NewGuid().ToString("N"));
        var ex = Assert.Throws<FileNotFoundException>(() => new TensorBundleReader(prefix));
        Assert.That(ex!.FileName, Is.EqualTo(prefix + ".index"));
        Assert.That(ex.Message, Does.Contain(prefix + ".index"));
    }

    private static double[] ReadAsDoubles(TensorBundleReader reader, string key) => reader.GetEntry(key).DType switch
    {
        DType.Float32 => reader.Read<float>(key).Select(v => (double)v).ToArray(),
        DType.Float64 => reader.Read<double>(key),
        DType.Int32 => reader.Read<int>(key).Select(v => (double)v).ToArray(),
        DType.Int64 => reader.Read<long>(key).Select(v => (double)v).ToArray(),
        var other => throw new AssertionException($"unexpected dtype {other} for {key}"),
    };
}
