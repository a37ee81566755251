using Framework.Tensors;

// Tests sit in Framework.Tests.Tensors rather than a ...Tensors.Random namespace: a namespace named Random would
// shadow System.Random for every other test in Framework.Tests.Tensors.
namespace Framework.Tests.Tensors;

public class PhiloxTests
{
    // Known-answer vectors published with Random123 (kat_vectors, philox4x32 with 10 rounds).
    [TestCase(0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u,
        0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u)]
    [TestCase(0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu,
        0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu)]
    [TestCase(0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u, 0x299f31d0u,
        0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u)]
    public void Block_Random123Vector_MatchesKnownAnswer(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1,
        uint e0, uint e1, uint e2, uint e3)
    {
        Philox.Block(k0 | (ulong)k1 << 32, c0 | (ulong)c1 << 32, c2 | (ulong)c3 << 32,
            out uint x0, out uint x1, out uint x2, out uint x3);

        Assert.That(new[] { x0, x1, x2, x3 }, Is.EqualTo(new[] { e0, e1, e2, e3 }));
    }

    [TestCase(0UL, 0UL)]
    [TestCase(ulong.MaxValue - 37, 5UL)]
    [TestCase(ulong.MaxValue - 100, 5UL)]
    [TestCase(ulong.MaxValue, ulong.MaxValue)]
    public void Fill_ManyBlocksAcrossCarry_MatchesBlockByBlock(ulong counterLow, ulong counterHigh)
    {
        const ulong key = 0x0123456789abcdef;
        // 109 whole blocks: six AVX-512 groups of 16, one AVX2 group of 8, five scalar blocks, then a partial one.
        uint[] words = new uint[4 * 109 + 3];

        Philox.Fill(key, counterLow, counterHigh, words);

        for (int b = 0; b * 4 < words.Length; b++)
        {
            (ulong lo, ulong hi) = Philox.Offset(counterLow, counterHigh, (ulong)b);
            Philox.Block(key, lo, hi, out uint x0, out uint x1, out uint x2, out uint x3);
            uint[] expected = [x0, x1, x2, x3];
            for (int j = 0; j < 4 && 4 * b + j < words.Length; j++)
                Assert.That(words[4 * b + j], Is.EqualTo(expected[j]), $"block {b}, word {j}");
        }
    }

    [Test]
    public void Offset_LowWraps_CarriesIntoHigh()
    {
        Assert.That(Philox.Offset(ulong.MaxValue, 7, 2), Is.EqualTo((1UL, 8UL)));
        Assert.That(Philox.Offset(ulong.MaxValue, ulong.MaxValue, 1), Is.EqualTo((0UL, 0UL)));
    }

    [Test]
    public void BlocksFor_PartialBlock_RoundsUp()
    {
        Assert.That(Philox.BlocksFor(0), Is.EqualTo(0UL));
        Assert.That(Philox.BlocksFor(1), Is.EqualTo(1UL));
        Assert.That(Philox.BlocksFor(8), Is.EqualTo(2UL));
        Assert.That(Philox.BlocksFor(9), Is.EqualTo(3UL));
    }
}
