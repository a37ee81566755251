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
