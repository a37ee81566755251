using System.Text;
using Framework.Serialization;
using Framework.Serialization.Table;

namespace Framework.Tests.Serialization;

public class TableTests
{
    private static byte[] B(string s) => Encoding.Latin1.GetBytes(s);

    private static byte[] Build(IEnumerable<(string Key, byte[] Value)> entries, int blockSize = TableFormat.BlockSize)
    {
        using var stream = new MemoryStream();
        var builder = new TableBuilder(stream, blockSize);
        foreach (var (key, value) in entries)
            builder.Add(B(key), value);
        builder.Finish();
        return stream.ToArray();
    }

    [TestCase("step/.ATTRIBUTES/VARIABLE_VALUE", "t")]
    [TestCase("counter", "d")]
    [TestCase("_CHECKPOINTABLE_OBJECT_GRAPH", "`")]
    [TestCase("", "")]
    [TestCase("\xff\xff", "\xff\xff")]
    [TestCase("\xff\x01z", "\xff\x02")]
    public void ShortSuccessor_Examples_MatchLevelDb(string key, string expected)
    {
        Assert.That(TableBuilder.ShortSuccessor(B(key)), Is.EqualTo(B(expected)));
    }

    [TestCase("abc", "abd", "abc")]
    [TestCase("abc", "abe", "abd")]
    [TestCase("ab", "abc", "ab")]
    [TestCase("a\xffz", "b", "a\xffz")]
    [TestCase("helloworld", "hellozoomer", "hellox")]
    [TestCase("a1", "a1", "a1")]
    public void ShortestSeparator_Examples_MatchLevelDb(string start, string limit, string expected)
    {
        Assert.That(TableBuilder.ShortestSeparator(B(start), B(limit)), Is.EqualTo(B(expected)));
    }

    [Test]
    public void Finish_CounterEntries_ReproducesSpecWorkedExample()
    {
        byte[] entry = [0x08, 0x01, 0x12, 0x00, 0x28, 0x04, 0x35, 0xa6, 0x7b, 0x11, 0x3a];
        byte[] table = Build([("", [0x08, 0x01, 0x1a, 0x02, 0x08, 0x01]), ("counter", entry)]);
        Assert.That(table, Is.EqualTo(File.ReadAllBytes(FixturePaths.Fixture("savedmodel_vars_counter_tf1", "variables.index"))));
        Assert.That(table[0x38..0x3e], Is.EqualTo(new byte[] { 0x00, 0x01, 0x02, 0x64, 0x00, 0x26 }));
    }

    [Test]
    public void ReadAll_BuiltTable_ReturnsEntriesAcrossBlocksAndRestarts()
    {
        var entries = Enumerable.Range(0, 500).Select(i => ($"key{i:D5}", Encoding.ASCII.GetBytes($"value-{i}"))).ToList();
        byte[] table = Build(entries, blockSize: 512);
        var back = TableReader.ReadAll("t.index", table);
        Assert.That(back.Select(e => Encoding.ASCII.GetString(e.Key)), Is.EqualTo(entries.Select(e => e.Item1)));
        Assert.That(back.Select(e => Encoding.ASCII.GetString(e.Value.Span)), Is.EqualTo(entries.Select(e => Encoding.ASCII.GetString(e.Item2))));
    }

    [Test]
    public void Add_HugeEntry_FlushesCurrentBlockFirst()
    {
        byte[] small = [1, 2, 3];
        byte[] huge = new byte[2 * 1024];
        byte[] table = Build([("a", small), ("b", huge), ("c", small)], blockSize: 1024);
        var back = TableReader.ReadAll("t.index", table);
        Assert.That(back.Select(e => e.Value.Length), Is.EqualTo(new[] { 3, 2048, 3 }));
        // Three data blocks: "a" alone (flushed before the huge entry), "b" (flushed by its size), then "c".
        // Block "a"/"c": 3 varint bytes + key + 3-byte value + restart + count = 15, plus trailer 5.
        // Block "b": varints 0, 1, 2048 (2 bytes) = 4, key 1, value 2048, restart + count 8 = 2061, plus trailer 5.
        // Metaindex: 8 + 5. Index: keys "a", "b", "d" with handles (0,15), (20,2061), (2086,15) = 6 + 7 + 7, restarts 16, trailer 5.
        int data = (15 + 5) + (2061 + 5) + (15 + 5);
        int index = (6 + 7 + 7 + 16) + 5;
        Assert.That(table.Length, Is.EqualTo(data + (8 + 5) + index + 48));
    }

    [Test]
    public void Add_KeysOutOfOrder_ThrowsArgumentException()
    {
        var builder = new TableBuilder(new MemoryStream());
        builder.Add(B("b"), []);
        Assert.Throws<ArgumentException>(() => builder.Add(B("a"), []));
        Assert.Throws<ArgumentException>(() => builder.Add(B("b"), []));
    }

    [Test]
    public void ReadAll_BlockWithZeroRestarts_ThrowsNamingFile()
    {
        byte[] table = Build([("", [1])]);
        // Data block: 00 00 01 01 | restart[0] | count. Zero the count and fix the trailer CRC so only the structure is wrong.
        int countAt = 4 + 4;
        table[countAt] = 0;
        uint crc = Crc32C.Mask(Crc32C.Compute(table.AsSpan(0, 13)));
        BitConverter.GetBytes(crc).CopyTo(table, 13);
        var ex = Assert.Throws<InvalidDataException>(() => TableReader.ReadAll("x/y.index", table));
        Assert.That(ex!.Message, Does.Contain("x/y.index").And.Contain("restart"));
    }

    [Test]
    public void ReadAll_UnknownCompressionType_ThrowsNamingType()
    {
        byte[] table = Build([("", [1])]);
        table[12] = 7;
        uint crc = Crc32C.Mask(Crc32C.Compute(table.AsSpan(0, 13)));
        BitConverter.GetBytes(crc).CopyTo(table, 13);
        var ex = Assert.Throws<InvalidDataException>(() => TableReader.ReadAll("x.index", table));
        Assert.That(ex!.Message, Does.Contain("compression type 7"));
    }

    [Test]
    public void ReadAll_CorruptSnappyBlock_ThrowsNamingFileAndBlock()
    {
        byte[] table = Build([("", [1])]);
        // Mark the raw data block as Snappy-compressed and fix the CRC. Its bytes, read as Snappy, announce 127 bytes, then a
        // 1-byte literal (01), then a copy (tag 01) whose offset byte (00) is 0: invalid.
        table[0] = 0x7F;
        table[12] = TableFormat.SnappyCompression;
        uint crc = Crc32C.Mask(Crc32C.Compute(table.AsSpan(0, 13)));
        BitConverter.GetBytes(crc).CopyTo(table, 13);
        var ex = Assert.Throws<InvalidDataException>(() => TableReader.ReadAll("x/y.index", table));
        Assert.That(ex!.Message, Does.Contain("x/y.index").And.Contain("Snappy-compressed data block at offset 0"));
    }

    [Test]
    public void ReadAll_TooShortForFooter_Throws()
    {
        var ex = Assert.Throws<InvalidDataException>(() => TableReader.ReadAll("x.index", new byte[47]));
        Assert.That(ex!.Message, Does.Contain("47 bytes"));
    }
}
