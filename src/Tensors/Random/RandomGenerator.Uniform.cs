using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Framework.Tensors;

public sealed partial class RandomGenerator
{
    private const float SingleUnit = 1f / (1 << 24);
    private const double DoubleUnit = 1.0 / (1L << 53);

    // Chunks of this many words keep the bool mask's scratch buffer on the stack; a multiple of 4, so chunks end on
    // block boundaries and consume the counter exactly as one large fill would.
    private const int ChunkWords = 256;

    /// <summary>Fills <paramref name="destination"/> with floats uniform in <c>[low, high)</c>.</summary>
    /// <remarks>
    /// Element i is <c>low + (high − low) · u</c> with <c>u = (w_i &gt;&gt; 8) · 2^−24</c>, where <c>w_i</c> is word
    /// <c>i mod 4</c> of block <c>i / 4</c>; a result that rounds up to <paramref name="high"/> becomes the largest
    /// float below it. Consumes <c>⌈n / 4⌉</c> blocks.
    /// </remarks>
    /// <param name="destination">The values to overwrite.</param>
    /// <param name="low">The inclusive lower bound.</param>
    /// <param name="high">The exclusive upper bound; must exceed <paramref name="low"/> by a finite amount.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="low"/> is not below <paramref name="high"/>, or the range is not finite.</exception>
    public void FillUniform(Span<float> destination, float low, float high)
    {
        ValidateRange(low, high, nameof(FillUniform));
        Span<uint> words = MemoryMarshal.Cast<float, uint>(destination);
        FillWords(words);

        float scale = high - low;
        float below = float.BitDecrement(high);
        ref uint bits = ref MemoryMarshal.GetReference(words);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            // Same operations in the same order as the scalar loop, so both paths give identical bits.
            Vector256<float> vScale = Vector256.Create(scale), vLow = Vector256.Create(low);
            Vector256<float> vHigh = Vector256.Create(high), vBelow = Vector256.Create(below);
            for (; i <= words.Length - Vector256<uint>.Count; i += Vector256<uint>.Count)
            {
                Vector256<int> top = Vector256.ShiftRightLogical(Vector256.LoadUnsafe(ref bits, (nuint)i), 8).AsInt32();
                Vector256<float> v = Vector256.ConvertToSingle(top) * SingleUnit * vScale + vLow;
                v = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(v, vHigh), vBelow, v);
                v.AsUInt32().StoreUnsafe(ref bits, (nuint)i);
            }
        }
        for (; i < words.Length; i++)
        {
            float v = (int)(words[i] >> 8) * SingleUnit * scale + low;
            destination[i] = v >= high ? below : v;
        }
    }

    /// <summary>Fills <paramref name="destination"/> with doubles uniform in <c>[low, high)</c>.</summary>
    /// <remarks>
    /// Element i is <c>low + (high − low) · u</c> with <c>u = (x_i &gt;&gt; 11) · 2^−53</c>, where <c>x_i</c> is words
    /// 0|1 (even i) or 2|3 (odd i) of block <c>i / 2</c>, low word first; a result that rounds up to
    /// <paramref name="high"/> becomes the largest double below it. Consumes <c>⌈n / 2⌉</c> blocks.
    /// </remarks>
    /// <param name="destination">The values to overwrite.</param>
    /// <param name="low">The inclusive lower bound.</param>
    /// <param name="high">The exclusive upper bound; must exceed <paramref name="low"/> by a finite amount.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="low"/> is not below <paramref name="high"/>, or the range is not finite.</exception>
    public void FillUniform(Span<double> destination, double low, double high)
    {
        ValidateRange(low, high, nameof(FillUniform));
        FillWords(MemoryMarshal.Cast<double, uint>(destination));
        // Reading word pairs as ulong puts the even word low; .NET targets are little-endian.
        Span<ulong> words = MemoryMarshal.Cast<double, ulong>(destination);

        double scale = high - low;
        double below = double.BitDecrement(high);
        ref ulong bits = ref MemoryMarshal.GetReference(words);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<double> vScale = Vector256.Create(scale), vLow = Vector256.Create(low);
            Vector256<double> vHigh = Vector256.Create(high), vBelow = Vector256.Create(below);
            for (; i <= words.Length - Vector256<ulong>.Count; i += Vector256<ulong>.Count)
            {
                Vector256<long> top = Vector256.ShiftRightLogical(Vector256.LoadUnsafe(ref bits, (nuint)i), 11).AsInt64();
                Vector256<double> v = Vector256.ConvertToDouble(top) * DoubleUnit * vScale + vLow;
                v = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(v, vHigh), vBelow, v);
                v.AsUInt64().StoreUnsafe(ref bits, (nuint)i);
            }
        }
        for (; i < words.Length; i++)
        {
            double v = (long)(words[i] >> 11) * DoubleUnit * scale + low;
            destination[i] = v >= high ? below : v;
        }
    }

    /// <summary>Fills a dropout mask with 1 (keep) or 0 (drop), keeping each element with probability <paramref name="keepProbability"/>.</summary>
    /// <remarks>
    /// Element i is kept when word <c>w_i</c> (word <c>i mod 4</c> of block <c>i / 4</c>) is below
    /// <c>⌊keepProbability · 2^32⌋</c>; a probability of 1 keeps everything. Consumes <c>⌈n / 4⌉</c> blocks.
    /// </remarks>
    /// <param name="mask">The mask to overwrite.</param>
    /// <param name="keepProbability">The probability of a 1, in <c>[0, 1]</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="keepProbability"/> is outside <c>[0, 1]</c> or NaN.</exception>
    public void FillBernoulli(Span<float> mask, double keepProbability)
    {
        ulong threshold = KeepThreshold(keepProbability);
        Span<uint> words = MemoryMarshal.Cast<float, uint>(mask);
        FillWords(words);
        if (threshold > uint.MaxValue)
        {
            mask.Fill(1f);
            return;
        }

        uint limit = (uint)threshold;
        ref uint bits = ref MemoryMarshal.GetReference(words);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<uint> vLimit = Vector256.Create(limit), one = Vector256.Create(1f).AsUInt32();
            for (; i <= words.Length - Vector256<uint>.Count; i += Vector256<uint>.Count)
            {
                Vector256<uint> keep = Vector256.LessThan(Vector256.LoadUnsafe(ref bits, (nuint)i), vLimit);
                (keep & one).StoreUnsafe(ref bits, (nuint)i);
            }
        }
        for (; i < words.Length; i++)
            mask[i] = words[i] < limit ? 1f : 0f;
    }

    /// <summary>Fills a mask with true (keep) or false (drop), keeping each element with probability <paramref name="keepProbability"/>.</summary>
    /// <remarks>The same rule and counter use as <see cref="FillBernoulli(Span{float}, double)"/>, element for element.</remarks>
    /// <param name="mask">The mask to overwrite.</param>
    /// <param name="keepProbability">The probability of true, in <c>[0, 1]</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="keepProbability"/> is outside <c>[0, 1]</c> or NaN.</exception>
    public void FillBernoulli(Span<bool> mask, double keepProbability)
    {
        ulong threshold = KeepThreshold(keepProbability);
        Span<uint> words = stackalloc uint[ChunkWords];
        for (int offset = 0; offset < mask.Length; offset += ChunkWords)
        {
            Span<bool> part = mask.Slice(offset, Math.Min(ChunkWords, mask.Length - offset));
            FillWords(words[..part.Length]);
            for (int i = 0; i < part.Length; i++)
                part[i] = words[i] < threshold;
        }
    }

    /// <summary>Writes the next blocks into <paramref name="words"/> and advances past them.</summary>
    private void FillWords(Span<uint> words)
    {
        Philox.Fill(_key, _counterLow, _counterHigh, words);
        Advance(Philox.BlocksFor(words.Length));
    }

    private static ulong KeepThreshold(double keepProbability)
    {
        if (!(keepProbability >= 0 && keepProbability <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(keepProbability), keepProbability,
                $"{nameof(FillBernoulli)}: keepProbability must be in [0, 1]; received keepProbability={keepProbability}.");
        }
        // Exact for p = 0, 1/2 and 1; elsewhere the rate is off by less than 2^-32.
        return (ulong)(keepProbability * 4294967296.0);
    }

    private static void ValidateRange<T>(T low, T high, string method)
        where T : IFloatingPointIeee754<T>
    {
        if (!(low < high))
        {
            throw new ArgumentOutOfRangeException(nameof(high), high,
                $"{method}: low must be less than high; received low={low}, high={high}.");
        }
        if (!T.IsFinite(high - low))
        {
            throw new ArgumentOutOfRangeException(nameof(high), high,
                $"{method}: high - low must be finite; received low={low}, high={high}.");
        }
    }

    private static void ValidateNormal<T>(T mean, T std, string method)
        where T : IFloatingPointIeee754<T>
    {
        if (!(std > T.Zero) || !T.IsFinite(std))
        {
            throw new ArgumentOutOfRangeException(nameof(std), std,
                $"{method}: std must be positive and finite; received std={std}.");
        }
        if (!T.IsFinite(mean))
        {
            throw new ArgumentOutOfRangeException(nameof(mean), mean,
                $"{method}: mean must be finite; received mean={mean}.");
        }
    }
}
