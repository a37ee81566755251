using Framework.Serialization;
using Framework.Serialization.Protos;
using Google.Protobuf;

namespace Framework.Tests.Serialization;

public class TensorBundleHardeningTests
{
    private static readonly FixtureBundle s_guide = FixtureCatalog.Get("tf2_checkpoint_guide_adam_slots", "ckpt-40");

    /// <summary>Opens the bundle and reads every tensor (strings decoded) so all verification paths run.</summary>
    private static void OpenAndReadAll(string prefix)
    {
        using var reader = new TensorBundleReader(prefix);
        foreach (var entry in reader.Entries)
        {
            if (entry.IsString)
                reader.ReadStringBytes(entry.Key);
            else
                reader.ReadBytes(entry.Key);
        }
    }

    /// <summary>Copies the guide fixture into <paramref name="dir"/> as prefix "b" with the given file contents.</summary>
    private static string Stage(TempDirectory dir, byte[] index, byte[] data)
    {
        File.WriteAllBytes(dir.File("b.index"), index);
        File.WriteAllBytes(dir.File("b.data-00000-of-00001"), data);
        return dir.File("b");
    }

    private static byte[] GuideIndex => File.ReadAllBytes(s_guide.Prefix + ".index");
    private static byte[] GuideData => File.ReadAllBytes(s_guide.Prefix + ".data-00000-of-00001");

    [Test]
    public void Constructor_IndexTruncatedAtEveryLength_ThrowsInvalidDataNamingFile()
    {
        using var dir = new TempDirectory();
        byte[] index = GuideIndex;
        byte[] data = GuideData;
        // Every length covers every block boundary (data block 0..855, metaindex 855..868, index 868..888, footer 888..936).
        for (int length = 0; length < index.Length; length++)
        {
            string prefix = Stage(dir, index[..length], data);
            var ex = Assert.Throws<InvalidDataException>(() => OpenAndReadAll(prefix), $"length {length}");
            Assert.That(ex!.Message, Does.Contain(prefix + ".index"), $"length {length}");
        }
    }

    [Test]
    public void Constructor_DataTruncated_ThrowsInvalidDataNamingKeyAndDataFile()
    {
        using var dir = new TempDirectory();
        byte[] data = GuideData;
        var boundaries = s_guide.Tensors.SelectMany(t => new[] { t.Offset, t.Offset + t.Size - 1 }).Where(x => x < data.Length);
        var random = new Random(7);
        foreach (long length in boundaries.Concat(Enumerable.Range(0, 40).Select(_ => (long)random.Next(0, data.Length))).Distinct())
        {
            string prefix = Stage(dir, GuideIndex, data[..(int)length]);
            var ex = Assert.Throws<InvalidDataException>(() => OpenAndReadAll(prefix), $"length {length}");
            Assert.That(ex!.Message, Does.Contain("at key '").And.Contain(".data-00000-of-00001"), $"length {length}");
        }
    }

    [Test]
    public void Read_FlippedDataByte_ThrowsCrcMismatchNamingKey()
    {
        using var dir = new TempDirectory();
        foreach (var tensor in s_guide.Tensors)
        {
            byte[] data = GuideData;
            data[tensor.Offset + tensor.Size / 2] ^= 0x40;
            string prefix = Stage(dir, GuideIndex, data);
            using var reader = new TensorBundleReader(prefix);
            var ex = Assert.Throws<InvalidDataException>(() =>
            {
                if (tensor.DataType == 7) reader.ReadStringBytes(tensor.Key);
                else reader.ReadBytes(tensor.Key);
            }, tensor.Key);
            Assert.That(ex!.Message, Does.Contain($"'{tensor.Key}'").And.Contain(prefix + ".data-00000-of-00001"));
        }
    }

    [Test]
    public void Constructor_FlippedIndexByte_ThrowsInvalidDataOrReadsUnchanged()
    {
        using var dir = new TempDirectory();
        byte[] original = GuideIndex;
        int accepted = 0;
        for (int i = 0; i < original.Length; i++)
        {
            byte[] index = (byte[])original.Clone();
            index[i] ^= 0x01;
            string prefix = Stage(dir, index, GuideData);
            try
            {
                OpenAndReadAll(prefix);
                accepted++;
                // Only the footer's zero padding is not covered by a checksum.
                Assert.That(i, Is.InRange(original.Length - 48, original.Length - 9), $"byte {i} changed without detection");
            }
            catch (InvalidDataException e)
            {
                Assert.That(e.Message, Does.Contain(prefix + ".index"));
            }
        }
        Assert.That(accepted, Is.LessThan(40));
    }

    [Test]
    public void Constructor_WrongMagic_ThrowsSayingNotAnIndexFile()
    {
        using var dir = new TempDirectory();
        byte[] index = GuideIndex;
        index[^1] = 0x00;
        string prefix = Stage(dir, index, GuideData);
        var ex = Assert.Throws<InvalidDataException>(() => new TensorBundleReader(prefix));
        Assert.That(ex!.Message, Does.Contain("magic").And.Contain(prefix + ".index"));
    }

    [Test]
    public void Constructor_MissingShard_ThrowsFileNotFoundWithPath()
    {
        using var dir = new TempDirectory();
        string prefix = Stage(dir, GuideIndex, GuideData);
        File.Delete(prefix + ".data-00000-of-00001");
        var ex = Assert.Throws<FileNotFoundException>(() => new TensorBundleReader(prefix));
        Assert.That(ex!.FileName, Is.EqualTo(prefix + ".data-00000-of-00001"));
        Assert.That(ex.Message, Does.Contain(prefix + ".data-00000-of-00001"));
    }

    [Test]
    public void Constructor_SecondShardMissing_ThrowsFileNotFoundWithPath()
    {
        using var dir = new TempDirectory();
        string prefix = dir.File("s");
        BundleCrafting.Write(prefix, BundleCrafting.Header(2), [("k", BundleCrafting.FloatEntry(0, 4).ToByteArray())], new byte[4]);
        var ex = Assert.Throws<FileNotFoundException>(() => new TensorBundleReader(prefix));
        Assert.That(ex!.FileName, Is.EqualTo(prefix + ".data-00001-of-00002"));
    }

    private static IEnumerable<TestCaseData> BadEntries()
    {
        yield return new TestCaseData(BundleCrafting.FloatEntry(12, 8, 2), "outside").SetName("Entry_PastEndOfShard");
        yield return new TestCaseData(BundleCrafting.FloatEntry(-4, 4), "outside").SetName("Entry_NegativeOffset");
        yield return new TestCaseData(BundleCrafting.FloatEntry(0, long.MaxValue, 1L << 61), "dimension").SetName("Entry_AbsurdDimension");
        yield return new TestCaseData(BundleCrafting.FloatEntry(0, 4, -1), "dimension").SetName("Entry_NegativeDimension");
        yield return new TestCaseData(BundleCrafting.FloatEntry(0, 4, 1 << 20, 1 << 20), "elements").SetName("Entry_ShapeOverflowsElementCount");
        yield return new TestCaseData(BundleCrafting.FloatEntry(0, long.MaxValue - 2, 1), "outside").SetName("Entry_AbsurdSize");
        yield return new TestCaseData(BundleCrafting.FloatEntry(0, 8, 3), "does not match shape").SetName("Entry_SizeDisagreesWithShape");
        var shard = BundleCrafting.FloatEntry(0, 4);
        shard.ShardId = 3;
        yield return new TestCaseData(shard, "shard 3").SetName("Entry_ShardOutOfRange");
        foreach (int dtype in new[] { 0, 20, 101 })
        {
            var bad = BundleCrafting.FloatEntry(0, 4);
            bad.Dtype = dtype;
            yield return new TestCaseData(bad, $"dtype {dtype}").SetName($"Entry_Dtype{dtype}NotStorable");
        }
        var strings = BundleCrafting.FloatEntry(0, 16, 1_000_000_000);
        strings.Dtype = 7;
        yield return new TestCaseData(strings, "cannot fit").SetName("Entry_StringCountAboveSize");
        var unknownRank = BundleCrafting.FloatEntry(0, 4);
        unknownRank.Shape.UnknownRank = true;
        yield return new TestCaseData(unknownRank, "unknown rank").SetName("Entry_UnknownRank");
    }

    [TestCaseSource(nameof(BadEntries))]
    public void Constructor_HostileEntry_ThrowsInvalidDataNamingKey(object entry, string expected)
    {
        using var dir = new TempDirectory();
        string prefix = dir.File("h");
        BundleCrafting.WriteSingle(prefix, "victim/key", (IMessage)entry);
        var ex = Assert.Throws<InvalidDataException>(() => new TensorBundleReader(prefix));
        Assert.That(ex!.Message, Does.Contain("'victim/key'").And.Contain(expected).And.Contain(prefix + ".index"));
    }

    [TestCase(0, "shards")]
    [TestCase(100_000, "shards")]
    public void Constructor_BadShardCount_ThrowsInvalidData(int shards, string expected)
    {
        using var dir = new TempDirectory();
        string prefix = dir.File("h");
        BundleCrafting.Write(prefix, new BundleHeaderProto { NumShards = shards }, []);
        var ex = Assert.Throws<InvalidDataException>(() => new TensorBundleReader(prefix));
        Assert.That(ex!.Message, Does.Contain(expected).And.Contain(prefix + ".index"));
    }

    [Test]
    public void Constructor_FutureVersion_ThrowsInvalidData()
    {
        using var dir = new TempDirectory();
        string prefix = dir.File("h");
        var header = BundleCrafting.Header();
        header.Version.MinConsumer = 2;
        BundleCrafting.Write(prefix, header, [], new byte[0]);
        var ex = Assert.Throws<InvalidDataException>(() => new TensorBundleReader(prefix));
        Assert.That(ex!.Message, Does.Contain("min_consumer 2"));
    }

    [Test]
    public void Constructor_GarbageProtobufValue_ThrowsInvalidDataNamingKey()
    {
        using var dir = new TempDirectory();
        string prefix = dir.File("h");
        BundleCrafting.Write(prefix, BundleCrafting.Header(), [("g", [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F])], new byte[4]);
        var ex = Assert.Throws<InvalidDataException>(() => new TensorBundleReader(prefix));
        Assert.That(ex!.Message, Does.Contain("'g'").And.Contain("BundleEntryProto"));
    }

    [Test]
    public void Read_BigEndianBundle_SwapsToLittleEndian()
    {
        using var dir = new TempDirectory();
        string prefix = dir.File("be");
        byte[] data = [0x3F, 0x80, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00]; // 1.0f, -2.0f big-endian
        var entry = BundleCrafting.FloatEntry(0, 8, 2);
        entry.Crc32C = Crc32C.Mask(Crc32C.Compute(data));
        var header = BundleCrafting.Header();
        header.Endianness = BundleHeaderProto.Types.Endianness.Big;
        BundleCrafting.Write(prefix, header, [("f", entry.ToByteArray())], data);
        using var reader = new TensorBundleReader(prefix);
        Assert.That(reader.Read<float>("f"), Is.EqualTo(new[] { 1f, -2f }));
    }

    [Test]
    public void Mutation_ThousandsOfCorruptedFixtures_OnlySucceedOrThrowDataErrors()
    {
        var sources = new[]
        {
            s_guide,
            FixtureCatalog.Get("savedmodel_vars_half_plus_two_tf2_snappy", "variables"),
            FixtureCatalog.Get("tf2_checkpoint_keras_sequential_new_optimizer", "ckpt-19"),
            FixtureCatalog.Get("keras_savedmodel_vars_lstm", "variables"),
        };
        var random = new Random(20261122);
        using var dir = new TempDirectory();
        int failures = 0, successes = 0;
        for (int iteration = 0; iteration < 3000; iteration++)
        {
            var source = sources[iteration % sources.Length];
            byte[] index = File.ReadAllBytes(source.Prefix + ".index");
            byte[] data = File.ReadAllBytes(source.Prefix + ".data-00000-of-00001");
            if (random.Next(4) == 0)
                data = Mutator.Mutate(data, random);
            else
                index = Mutator.Mutate(index, random);
            string prefix = Stage(dir, index, data);
            if (random.Next(50) == 0)
                File.Delete(prefix + ".data-00000-of-00001");
            try
            {
                OpenAndReadAll(prefix);
                successes++;
            }
            catch (Exception e) when (e is InvalidDataException or FileNotFoundException)
            {
                Assert.That(e.Message, Does.Contain(prefix), e.Message);
                failures++;
            }
        }
        Assert.That(failures, Is.GreaterThan(2000), $"{successes} mutated bundles were accepted");
    }
}
