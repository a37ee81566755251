using System.Text;
using Framework.Serialization;

namespace Framework.Tests.Serialization;

public class Crc32CTests
{
    [Test]
    public void Compute_CheckString_MatchesCastagnoliCheckValue()
    {
        Assert.That(Crc32C.Compute("123456789"u8), Is.EqualTo(0xE3069283u));
    }

    [TestCase("", 0x00000000u)]
    [TestCase("a", 0xC1D04330u)]
    [TestCase("abc", 0x364B3FB7u)]
    [TestCase("The quick brown fox jumps over the lazy dog", 0x22620404u)]
    public void Compute_KnownStrings_MatchPublishedValues(string text, uint expected)
    {
        Assert.That(Crc32C.Compute(Encoding.ASCII.GetBytes(text)), Is.EqualTo(expected));
    }

    [Test]
    public void Compute_RfcVectors_MatchRfc3720()
    {
        // RFC 3720 (iSCSI) appendix B.4 test vectors.
        Assert.That(Crc32C.Compute(new byte[32]), Is.EqualTo(0x8A9136AAu));
        Assert.That(Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()), Is.EqualTo(0x62A8AB43u));
        Assert.That(Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()), Is.EqualTo(0x46DD794Eu));
        Assert.That(Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray()), Is.EqualTo(0x113FDB5Cu));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(7)]
    [TestCase(8)]
    [TestCase(12_287)]
    [TestCase(12_288)]
    [TestCase(12_289)]
    [TestCase(24_583)]
    [TestCase(36_864)]
    [TestCase(100_003)]
    [TestCase(1 << 20)]
    public void Compute_AnyLength_HardwareAndTablePathsAgree(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        Assert.That(Crc32C.Compute(data), Is.EqualTo(Crc32C.ComputeWithTable(data)));
    }

    [Test]
    public void Append_SplitAnywhere_EqualsOneShot()
    {
        var data = new byte[10_000];
        new Random(5).NextBytes(data);
        uint whole = Crc32C.Compute(data);
        foreach (int split in new[] { 0, 1, 9, 4000, 9999, 10_000 })
            Assert.That(Crc32C.Append(Crc32C.Compute(data.AsSpan(0, split)), data.AsSpan(split)), Is.EqualTo(whole), $"split {split}");
    }

    /// <summary>The implementations under test; each but Dispatch is called directly, so none can be skipped unnoticed.</summary>
    public enum CrcPath { Dispatch, Hybrid, Fold512, Fold128, ThreeWay }

    private static readonly CrcPath[] s_paths = Enum.GetValues<CrcPath>();

    // The shortest buffer each path accepts.
    private static int MinLength(CrcPath path) => path switch
    {
        CrcPath.Fold512 => 256,
        CrcPath.Fold128 => 64,
        _ => 0,
    };

    private static uint Append(CrcPath path, uint crc, ReadOnlySpan<byte> data)
    {
        if (path == CrcPath.Dispatch)
            return Crc32C.Append(crc, data);
        uint result;
        bool supported = path switch
        {
            CrcPath.Hybrid => Crc32C.TryAppendHybrid(crc, data, out result),
            CrcPath.Fold512 => Crc32C.TryAppendFold512(crc, data, out result),
            CrcPath.Fold128 => Crc32C.TryAppendFold128(crc, data, out result),
            _ => Crc32C.TryAppendThreeWay(crc, data, out result),
        };
        if (!supported)
            Assert.Ignore($"This CPU has no {path} path.");
        return result;
    }

    // Compares one path with the table on data[offset..offset+length], from a random starting CRC.
    private static void AssertMatchesTable(CrcPath path, byte[] data, int offset, int length, uint crc)
    {
        var span = data.AsSpan(offset, length);
        Assert.That(Append(path, crc, span), Is.EqualTo(Crc32C.AppendWithTable(crc, span)),
            $"{path}: length {length}, offset {offset}, crc 0x{crc:X8}");
    }

    [TestCaseSource(nameof(s_paths))]
    public void Append_EveryShortLength_MatchesTable(CrcPath path)
    {
        var random = new Random(11);
        var data = new byte[1100 + 64];
        random.NextBytes(data);
        for (int length = MinLength(path); length <= 1100; length++)
            AssertMatchesTable(path, data, length % 64, length, (uint)random.NextInt64(0, 1L << 32));
    }

    private static IEnumerable<int> LargeLengths() =>
        Enumerable.Range(4095, 106).Concat(Enumerable.Range(65_536 - 17, 35)).Concat([(1 << 20) + 13, (1 << 20) + 255]);

    [TestCaseSource(nameof(s_paths))]
    public void Append_LargeLengthsAnyAlignment_MatchTable(CrcPath path)
    {
        var random = new Random(12);
        var data = new byte[(1 << 20) + 256 + 64];
        random.NextBytes(data);
        foreach (int length in LargeLengths())
        {
            // Every start offset for a few lengths, one offset per length otherwise, to keep the test short.
            IEnumerable<int> offsets = length % 16 == 0 ? Enumerable.Range(0, 64) : [length % 64];
            foreach (int offset in offsets)
                AssertMatchesTable(path, data, offset, length, (uint)random.NextInt64(0, 1L << 32));
        }
    }

    [TestCaseSource(nameof(s_paths))]
    public void Append_ChainedAtRandomSplits_EqualsOneShot(CrcPath path)
    {
        var random = new Random(13);
        var data = new byte[200_000];
        random.NextBytes(data);
        uint expected = Crc32C.ComputeWithTable(data);
        for (int trial = 0; trial < 20; trial++)
        {
            // Chained pieces must each be long enough for the path, so cut at least MinLength apart.
            uint crc = 0;
            int at = 0;
            while (at < data.Length)
            {
                int remaining = data.Length - at;
                int piece = remaining < 2 * MinLength(path) + 1 ? remaining : random.Next(MinLength(path), Math.Min(remaining - MinLength(path), 70_000) + 1);
                crc = Append(path, crc, data.AsSpan(at, piece));
                at += piece;
            }
            Assert.That(crc, Is.EqualTo(expected), $"{path}: trial {trial}");
        }
    }

    [TestCase(0x00)]
    [TestCase(0xFF)]
    public void Compute_LongConstantRuns_MatchTable(int value)
    {
        var data = Enumerable.Repeat((byte)value, 5000).ToArray();
        Assert.That(Crc32C.Compute(data), Is.EqualTo(Crc32C.ComputeWithTable(data)));
    }

    [Test]
    public void Mask_KnownValue_MatchesTensorFlowStoredCrc()
    {
        // Fixture savedmodel_vars_counter_tf1: the float 0.0 is stored with masked CRC 0x3a117ba6.
        uint crc = Crc32C.Compute(new byte[4]);
        Assert.That(Crc32C.Mask(crc), Is.EqualTo(0x3a117ba6u));
    }

    [Test]
    public void Unmask_OfMask_ReturnsOriginal()
    {
        var random = new Random(1);
        for (int i = 0; i < 1000; i++)
        {
            uint crc = (uint)random.NextInt64(0, 1L << 32);
            Assert.That(Crc32C.Unmask(Crc32C.Mask(crc)), Is.EqualTo(crc));
            Assert.That(Crc32C.Mask(crc), Is.Not.EqualTo(crc));
        }
    }
}
