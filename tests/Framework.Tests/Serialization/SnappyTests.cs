using System.Text;
using Framework.Serialization;

namespace Framework.Tests.Serialization;

public class SnappyTests
{
    private static byte[] Decompress(params byte[] input)
    {
        byte[]? output = SnappyBlock.TryDecompress(input, out string? error);
        Assert.That(output, Is.Not.Null, error);
        return output!;
    }

    private static string Error(params byte[] input)
    {
        byte[]? output = SnappyBlock.TryDecompress(input, out string? error);
        Assert.That(output, Is.Null);
        Assert.That(error, Is.Not.Null.And.Not.Empty);
        return error!;
    }

    [Test]
    public void TryDecompress_ShortLiteral_ReturnsBytes()
    {
        byte[] input = [0x05, 0x10, .. "hello"u8];
        Assert.That(Encoding.ASCII.GetString(Decompress(input)), Is.EqualTo("hello"));
    }

    [Test]
    public void TryDecompress_Empty_ReturnsEmpty()
    {
        Assert.That(Decompress(0x00), Is.Empty);
    }

    [Test]
    public void TryDecompress_OverlappingOneByteOffsetCopy_RepeatsPattern()
    {
        // literal "abc", then copy length 6 from offset 3 (overlaps its own output).
        byte[] input = [0x09, 0x08, (byte)'a', (byte)'b', (byte)'c', 0x09, 0x03];
        Assert.That(Encoding.ASCII.GetString(Decompress(input)), Is.EqualTo("abcabcabc"));
    }

    [Test]
    public void TryDecompress_TwoAndFourByteOffsetCopies_Work()
    {
        byte[] two = [0x07, 0x08, (byte)'x', (byte)'y', (byte)'z', 0x0E, 0x03, 0x00];
        Assert.That(Encoding.ASCII.GetString(Decompress(two)), Is.EqualTo("xyzxyzx"));
        byte[] four = [0x07, 0x08, (byte)'x', (byte)'y', (byte)'z', 0x0F, 0x03, 0x00, 0x00, 0x00];
        Assert.That(Encoding.ASCII.GetString(Decompress(four)), Is.EqualTo("xyzxyzx"));
    }

    [Test]
    public void TryDecompress_LongLiteralWithLengthByte_ReturnsBytes()
    {
        byte[] payload = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();
        byte[] input = [100, 0xF0, 99, .. payload];
        Assert.That(Decompress(input), Is.EqualTo(payload));
    }

    [Test]
    public void TryDecompress_RunOfOneByte_ExpandsWithinBound()
    {
        // 'a' then copy 64 bytes at offset 1: 65 bytes from 5 input bytes.
        byte[] input = [65, 0x00, (byte)'a', 0xFE, 0x01, 0x00];
        Assert.That(Decompress(input), Is.EqualTo(Enumerable.Repeat((byte)'a', 65).ToArray()));
    }

    [Test]
    public void TryDecompress_CopyOffsetZero_Fails()
    {
        Assert.That(Error(0x05, 0x00, (byte)'a', 0x01, 0x00), Does.Contain("Invalid copy offset"));
    }

    [Test]
    public void TryDecompress_CopyBeforeStart_Fails()
    {
        Assert.That(Error(0x06, 0x00, (byte)'a', 0x05, 0x02), Does.Contain("Invalid copy offset"));
    }

    [Test]
    public void TryDecompress_LiteralPastInput_Fails()
    {
        Assert.That(Error(0x05, 0x10, (byte)'h', (byte)'i'), Does.Contain("Incomplete Snappy block"));
    }

    [Test]
    public void TryDecompress_OutputShorterThanAnnounced_Fails()
    {
        Assert.That(Error([0x06, 0x10, .. "hello"u8]), Does.Contain("announced 6 bytes"));
    }

    [Test]
    public void TryDecompress_OutputLongerThanAnnounced_Fails()
    {
        Assert.That(Error([0x04, 0x10, .. "hello"u8]), Does.Contain("announced 4 bytes"));
    }

    [Test]
    public void TryDecompress_HugeAnnouncedLength_FailsWithoutAllocating()
    {
        Assert.That(Error(0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00, (byte)'a'), Does.Contain("impossible"));
    }

    [Test]
    public void TryDecompress_BadOrMissingLengthVarint_Fails()
    {
        Error();
        Error(0x80, 0x80);
        Error(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01);
    }

    [Test]
    public void TryDecompress_TruncatedCopyOperands_Fail()
    {
        Error(0x05, 0x00, (byte)'a', 0x01);
        Error(0x05, 0x00, (byte)'a', 0x0E, 0x01);
        Error(0x05, 0x00, (byte)'a', 0x0F, 0x01, 0x00, 0x00);
        Error(0x05, 0xF4, 0x01, 0x00);
    }

    [Test]
    public void TryDecompress_RandomGarbage_NeverThrows()
    {
        var random = new Random(42);
        for (int i = 0; i < 20_000; i++)
        {
            var input = new byte[random.Next(0, 64)];
            random.NextBytes(input);
            byte[]? output = SnappyBlock.TryDecompress(input, out string? error);
            Assert.That(output is not null || error is not null, Is.True);
        }
    }
}
