using System.Runtime.InteropServices;
using Framework.Serialization;
using Framework.Tensors;

namespace Framework.Tests.Serialization;

public class TensorBundleWriterTests
{
    private static IEnumerable<FixtureBundle> ByteExactBundles => FixtureCatalog.ByteExact;

    /// <summary>Re-writes a fixture's tensors in its data-file order through the public writer API.</summary>
    private static void CopyBundle(string sourcePrefix, string targetPrefix, bool decodeStrings)
    {
        using var reader = new TensorBundleReader(sourcePrefix);
        using var writer = new TensorBundleWriter(targetPrefix);
        foreach (var entry in reader.Entries.OrderBy(e => e.Offset))
        {
            if (entry.IsString && decodeStrings)
                writer.AddStrings(entry.Key, entry.Shape, reader.ReadStringBytes(entry.Key));
            else if (entry.DType is { } dtype)
                writer.Add(entry.Key, dtype, entry.Shape, reader.ReadBytes(entry.Key));
            else
                writer.AddRaw(entry.Key, entry.DataType, entry.Shape, reader.ReadBytes(entry.Key));
        }
        writer.Finish();
    }

    [TestCaseSource(nameof(ByteExactBundles))]
    public void Finish_SameEntriesAsFixture_ReproducesIndexAndDataBytes(FixtureBundle bundle)
    {
        using var dir = new TempDirectory();
        string prefix = dir.File(bundle.Name);
        CopyBundle(bundle.Prefix, prefix, decodeStrings: true);
        Assert.That(File.ReadAllBytes(prefix + ".index"), Is.EqualTo(File.ReadAllBytes(bundle.Prefix + ".index")));
        Assert.That(File.ReadAllBytes(prefix + ".data-00000-of-00001"), Is.EqualTo(File.ReadAllBytes(bundle.Prefix + ".data-00000-of-00001")));
        Assert.That(dir.FileNames(), Is.EqualTo(new[] { bundle.Name + ".data-00000-of-00001", bundle.Name + ".index" }));
    }

    [TestCase("savedmodel_vars_half_plus_two_tf1_snappy")]
    [TestCase("savedmodel_vars_half_plus_two_tf2_snappy")]
    public void Finish_SnappyFixture_WritesUncompressedEquivalent(string fixture)
    {
        using var dir = new TempDirectory();
        var bundle = FixtureCatalog.Get(fixture, "variables");
        CopyBundle(bundle.Prefix, dir.File("variables"), decodeStrings: false);
        Assert.That(File.ReadAllBytes(dir.File("variables.data-00000-of-00001")), Is.EqualTo(File.ReadAllBytes(bundle.Prefix + ".data-00000-of-00001")));
        BundleCheck.AssertValid(dir.File("variables"), "--no-state");
        using var reader = new TensorBundleReader(dir.File("variables"));
        Assert.That(reader.Entries.Select(e => (e.Key, e.MaskedCrc32C)), Is.EqualTo(bundle.Tensors.Select(t => (t.Key, t.Crc))));
    }

    [TestCaseSource(nameof(ByteExactBundles))]
    public void Finish_CopiedFixture_PassesIndependentChecker(FixtureBundle bundle)
    {
        using var dir = new TempDirectory();
        CopyBundle(bundle.Prefix, dir.File("copy"), decodeStrings: false);
        BundleCheck.AssertValid(dir.File("copy"), "--no-state");
    }

    [Test]
    public void Finish_NewBundle_RoundTripsEveryDtypeAndPassesChecker()
    {
        using var dir = new TempDirectory();
        string prefix = dir.File("ckpt-1");
        float[] kernel = Enumerable.Range(0, 12).Select(i => i * 0.25f - 1f).ToArray();
        using (var writer = new TensorBundleWriter(prefix))
        {
            writer.Add<float>(CheckpointKey.ForVariable("dense/kernel"), new Shape(3, 4), kernel);
            writer.Add<double>("d", new Shape(2), [1.5, -2.25]);
            writer.Add<int>("i", Shape.Scalar, [7]);
            writer.Add<long>("l", new Shape(1), [long.MinValue]);
            writer.Add<byte>("u8", new Shape(3), [1, 2, 255]);
            writer.Add<bool>("b", new Shape(2), [true, false]);
            writer.Add<float>("empty", new Shape(0, 5), []);
            writer.AddStrings("s", new Shape(2, 2), ["", "a", "héllo", new string('x', 300)]);
            writer.Finish();
        }
        BundleCheck.AssertValid(prefix, "--no-state");
        using var reader = new TensorBundleReader(prefix);
        Assert.That(reader.Read<float>(CheckpointKey.ForVariable("dense/kernel")), Is.EqualTo(kernel));
        Assert.That(reader.Read<double>("d"), Is.EqualTo(new[] { 1.5, -2.25 }));
        Assert.That(reader.Read<int>("i"), Is.EqualTo(new[] { 7 }));
        Assert.That(reader.Read<long>("l"), Is.EqualTo(new[] { long.MinValue }));
        Assert.That(reader.Read<byte>("u8"), Is.EqualTo(new byte[] { 1, 2, 255 }));
        Assert.That(reader.Read<bool>("b"), Is.EqualTo(new[] { true, false }));
        Assert.That(reader.Read<float>("empty"), Is.Empty);
        Assert.That(reader.GetEntry("empty").Shape, Is.EqualTo(new Shape(0, 5)));
        Assert.That(reader.ReadStrings("s"), Is.EqualTo(new[] { "", "a", "héllo", new string('x', 300) }));
        Assert.That(reader.GetEntry("s").Shape, Is.EqualTo(new Shape(2, 2)));
    }

    [Test]
    public void Finish_KeysAddedUnsorted_IndexIsBytewiseSorted()
    {
        using var dir = new TempDirectory();
        string prefix = dir.File("sorted");
        using (var writer = new TensorBundleWriter(prefix))
        {
            foreach (string key in new[] { "b", "a/x", "a.x", "_Z", "é", "A" })
                writer.Add<int>(key, Shape.Scalar, [key.Length]);
            writer.Finish();
        }
        using var reader = new TensorBundleReader(prefix);
        Assert.That(reader.Entries.Select(e => e.Key), Is.EqualTo(new[] { "A", "_Z", "a.x", "a/x", "b", "é" }));
        BundleCheck.AssertValid(prefix, "--no-state");
    }

    [Test]
    public void Finish_ManyTensors_SpansSeveralIndexBlocksAndPassesChecker()
    {
        using var dir = new TempDirectory();
        string prefix = dir.File("many");
        const int count = 12_000;
        using (var writer = new TensorBundleWriter(prefix))
        {
            for (int i = 0; i < count; i++)
                writer.Add<float>($"model/layer_with_weights-{i}/kernel/.ATTRIBUTES/VARIABLE_VALUE", new Shape(2), [i, -i]);
            writer.Finish();
        }
        Assert.That(new FileInfo(prefix + ".index").Length, Is.GreaterThan(2 * 262144));
        var (code, output) = BundleCheck.Run(prefix, "--no-state", "-v");
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Not.Contain("ERROR").And.Not.Contain("NOTE"), output);
        using var reader = new TensorBundleReader(prefix);
        Assert.That(reader.Entries, Has.Count.EqualTo(count));
        Assert.That(reader.Read<float>("model/layer_with_weights-11999/kernel/.ATTRIBUTES/VARIABLE_VALUE"), Is.EqualTo(new[] { 11999f, -11999f }));
    }

    [Test]
    public void Finish_ThreeShards_RoundTripsAndPassesChecker()
    {
        using var dir = new TempDirectory();
        string prefix = dir.File("sharded");
        var expected = new Dictionary<string, float[]>();
        using (var writer = new TensorBundleWriter(prefix, shardCount: 3))
        {
            for (int i = 0; i < 10; i++)
            {
                float[] values = Enumerable.Range(0, i + 1).Select(v => v * 1.5f + i).ToArray();
                expected[$"t{i}"] = values;
                writer.Add<float>($"t{i}", new Shape(values.Length), values, shard: i % 3);
            }
            writer.Finish();
        }
        Assert.That(dir.FileNames(), Is.EqualTo(new[]
        {
            "sharded.data-00000-of-00003", "sharded.data-00001-of-00003", "sharded.data-00002-of-00003", "sharded.index",
        }));
        BundleCheck.AssertValid(prefix, "--no-state");
        using var reader = new TensorBundleReader(prefix);
        Assert.That(reader.ShardCount, Is.EqualTo(3));
        foreach (var (key, values) in expected)
        {
            Assert.That(reader.Read<float>(key), Is.EqualTo(values), key);
            Assert.That(reader.GetEntry(key).ShardId, Is.EqualTo(int.Parse(key[1..]) % 3));
        }
    }

    [Test]
    public void Finish_ShardWithoutTensors_StillWritesItsEmptyDataFile()
    {
        using var dir = new TempDirectory();
        using (var writer = new TensorBundleWriter(dir.File("p"), shardCount: 2))
        {
            writer.Add<int>("only", Shape.Scalar, [1]);
            writer.Finish();
        }
        Assert.That(new FileInfo(dir.File("p.data-00001-of-00002")).Length, Is.Zero);
        using var reader = new TensorBundleReader(dir.File("p"));
        Assert.That(reader.Read<int>("only"), Is.EqualTo(new[] { 1 }));
    }

    [Test]
    public void Add_DuplicateKey_ThrowsNamingKey()
    {
        using var dir = new TempDirectory();
        using var writer = new TensorBundleWriter(dir.File("p"));
        writer.Add<int>("k", Shape.Scalar, [1]);
        var ex = Assert.Throws<ArgumentException>(() => writer.Add<int>("k", Shape.Scalar, [2]));
        Assert.That(ex!.Message, Does.Contain("'k'"));
    }

    [Test]
    public void Add_ByteCountDoesNotMatchShape_ThrowsWithShapeAndCounts()
    {
        using var dir = new TempDirectory();
        using var writer = new TensorBundleWriter(dir.File("p"));
        var ex = Assert.Throws<ArgumentException>(() => writer.Add("w", DType.Float32, new Shape(2, 3), new byte[20]));
        Assert.That(ex!.ParamName, Is.EqualTo("data"));
        Assert.That(ex.Message, Does.Contain("(2, 3)").And.Contain("24").And.Contain("20"));
    }

    [Test]
    public void Add_InvalidArguments_Throw()
    {
        using var dir = new TempDirectory();
        using var writer = new TensorBundleWriter(dir.File("p"), shardCount: 2);
        Assert.Throws<ArgumentException>(() => writer.Add<int>("", Shape.Scalar, [1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Add<int>("x", Shape.Scalar, [1], shard: 2));
        Assert.Throws<ArgumentException>(() => writer.AddStrings("s", new Shape(3), new[] { "a" }));
        Assert.Throws<ArgumentException>(() => writer.AddRaw("r", 20, Shape.Scalar, new byte[8]));
        Assert.Throws<ArgumentException>(() => writer.AddRaw("v", 21, new Shape(1), new byte[] { 5, 1, 2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TensorBundleWriter(dir.File("q"), shardCount: 0));
    }

    [Test]
    public void Add_AfterFinish_ThrowsInvalidOperation()
    {
        using var dir = new TempDirectory();
        using var writer = new TensorBundleWriter(dir.File("p"));
        writer.Finish();
        Assert.Throws<InvalidOperationException>(() => writer.Add<int>("k", Shape.Scalar, [1]));
        Assert.Throws<InvalidOperationException>(() => writer.Finish());
    }

    [Test]
    public void Dispose_WithoutFinish_LeavesNoFiles()
    {
        using var dir = new TempDirectory();
        using (var writer = new TensorBundleWriter(dir.File("p")))
            writer.Add<float>("k", new Shape(1000), new float[1000]);
        Assert.That(dir.FileNames(), Is.Empty);
    }

    [Test]
    public void Add_LargeTensor_StreamsThroughAndReadsBack()
    {
        using var dir = new TempDirectory();
        var values = new float[3_000_000];
        for (int i = 0; i < values.Length; i++)
            values[i] = i * 0.5f;
        using (var writer = new TensorBundleWriter(dir.File("big")))
        {
            writer.Add<float>("big", new Shape(values.Length), values);
            writer.Finish();
        }
        using var reader = new TensorBundleReader(dir.File("big"));
        var back = new float[values.Length];
        reader.ReadInto("big", MemoryMarshal.AsBytes(back.AsSpan()));
        Assert.That(back, Is.EqualTo(values));
    }
}
