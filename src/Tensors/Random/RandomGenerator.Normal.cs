using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Framework.Tensors;

public sealed partial class RandomGenerator
{
    // Normals are made in chunks of this many values so that the transcendental functions always run over full,
    // equal-length buffers: every value then takes the same vectorized code path whatever the fill's length or
    // offset, which is what makes split fills bit-identical to one large fill.
    private const int NormalChunk = 512;

    // Keras/TF truncated normal: draws at two or more standard deviations are re-drawn.
    private const int TruncationStds = 2;

    // A literal rather than Math.Log(2), whose last bit is up to the platform's C library.
    private const double Ln2 = 0.6931471805599453;

    /// <summary>Fills <paramref name="destination"/> with normal floats of the given mean and standard deviation.</summary>
    /// <remarks>
    /// Box–Muller: block b's words (w0, w1, w2, w3) give elements 4b..4b+3 as <c>r₀cos θ₀, r₀sin θ₀, r₁cos θ₁, r₁sin θ₁</c>
    /// with <c>r = √(−2 ln u₁)</c>, <c>θ = 2π u₂</c>, <c>u₁ = ((w0 &gt;&gt; 8) + 1) · 2^−24 ∈ (0, 1]</c> (so the
    /// logarithm never sees 0) and <c>u₂ = (w1 &gt;&gt; 8) · 2^−24</c>, then scaled as <c>mean + std · z</c>.
    /// Consumes <c>⌈n / 4⌉</c> blocks.
    /// </remarks>
    /// <param name="destination">The values to overwrite.</param>
    /// <param name="mean">The mean; must be finite.</param>
    /// <param name="std">The standard deviation; must be positive and finite.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="std"/> is not positive and finite, or <paramref name="mean"/> is not finite.</exception>
    public void FillNormal(Span<float> destination, float mean, float std)
    {
        ValidateNormal(mean, std, nameof(FillNormal));
        FillNormalCore(destination, mean, std, truncate: false);
    }

    /// <summary>Fills <paramref name="destination"/> with normal doubles of the given mean and standard deviation.</summary>
    /// <remarks>
    /// As the float overload, with 53-bit uniforms: block b gives elements 2b and 2b+1 from
    /// <c>x₁ = w0 | w1 &lt;&lt; 32</c> and <c>x₂ = w2 | w3 &lt;&lt; 32</c>, <c>u₁ = ((x₁ &gt;&gt; 11) + 1) · 2^−53</c>,
    /// <c>u₂ = (x₂ &gt;&gt; 11) · 2^−53</c>. Consumes <c>⌈n / 2⌉</c> blocks.
    /// </remarks>
    /// <param name="destination">The values to overwrite.</param>
    /// <param name="mean">The mean; must be finite.</param>
    /// <param name="std">The standard deviation; must be positive and finite.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="std"/> is not positive and finite, or <paramref name="mean"/> is not finite.</exception>
    public void FillNormal(Span<double> destination, double mean, double std)
    {
        ValidateNormal(mean, std, nameof(FillNormal));
        FillNormalCore(destination, mean, std, truncate: false);
    }

    /// <summary>Fills <paramref name="destination"/> with a normal distribution truncated at two standard deviations (Keras <c>TruncatedNormal</c>).</summary>
    /// <remarks>
    /// Draws the <see cref="FillNormal(Span{float}, float, float)"/> stream and keeps, in order, the standard
    /// values with <c>|z| &lt; 2</c>, as TensorFlow does; the rest are re-drawn. The counter advances past the block
    /// holding the last value kept, so how many blocks a fill consumes depends on the draws, and a split fill
    /// (10 then 10) is deterministic but differs from one fill of 20. The result's standard deviation is about
    /// <c>0.8796 · std</c>.
    /// </remarks>
    /// <param name="destination">The values to overwrite.</param>
    /// <param name="mean">The mean; must be finite.</param>
    /// <param name="std">The standard deviation before truncation; must be positive and finite.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="std"/> is not positive and finite, or <paramref name="mean"/> is not finite.</exception>
    public void FillTruncatedNormal(Span<float> destination, float mean, float std)
    {
        ValidateNormal(mean, std, nameof(FillTruncatedNormal));
        FillNormalCore(destination, mean, std, truncate: true);
    }

    /// <summary>Fills <paramref name="destination"/> with a normal distribution truncated at two standard deviations (Keras <c>TruncatedNormal</c>).</summary>
    /// <remarks>The double counterpart of <see cref="FillTruncatedNormal(Span{float}, float, float)"/>, over the <see cref="FillNormal(Span{double}, double, double)"/> stream.</remarks>
    /// <param name="destination">The values to overwrite.</param>
    /// <param name="mean">The mean; must be finite.</param>
    /// <param name="std">The standard deviation before truncation; must be positive and finite.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="std"/> is not positive and finite, or <paramref name="mean"/> is not finite.</exception>
    public void FillTruncatedNormal(Span<double> destination, double mean, double std)
    {
        ValidateNormal(mean, std, nameof(FillTruncatedNormal));
        FillNormalCore(destination, mean, std, truncate: true);
    }

    private void FillNormalCore<T>(Span<T> destination, T mean, T std, bool truncate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // A float takes one word of a block, a double two.
        int wordsPerValue = typeof(T) == typeof(float) ? 1 : 2;
        Span<T> z = stackalloc T[NormalChunk];
        int filled = 0;
        while (filled < destination.Length)
        {
            StandardNormalChunk(z);
            int used;
            if (truncate)
            {
                filled += KeepTruncated(z, destination[filled..], mean, std, out used);
            }
            else
            {
                used = Math.Min(NormalChunk, destination.Length - filled);
                Span<T> part = destination.Slice(filled, used);
                // Two exact IEEE passes rather than one fused multiply-add, so every platform rounds alike.
                TensorPrimitives.Multiply(z[..used], std, part);
                TensorPrimitives.Add(part, mean, part);
                filled += used;
            }
            Advance(Philox.BlocksFor((long)used * wordsPerValue));
        }
    }

    /// <summary>Copies the standard values with <c>|z| &lt; 2</c>, scaled, until <paramref name="destination"/> is full or <paramref name="z"/> is spent.</summary>
    /// <returns>The number of values written; <paramref name="used"/> is the number of standard values looked at.</returns>
    private static int KeepTruncated<T>(ReadOnlySpan<T> z, Span<T> destination, T mean, T std, out int used)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T limit = T.CreateTruncating(TruncationStds);
        int written = 0;
        int i = 0;
        while (i < z.Length && written < destination.Length)
        {
            T value = z[i++];
            if (T.Abs(value) < limit) destination[written++] = value * std + mean;
        }
        used = i;
        return written;
    }

    /// <summary>Computes the next <see cref="NormalChunk"/> standard normals from the current counter without advancing it.</summary>
    /// <remarks>
    /// The angle 2π·u₂ is reduced exactly, in integers, to a quadrant q and an offset φ ∈ [−π/4, π/4), and the
    /// quadrant is applied by swapping and negating cos φ and sin φ. Besides saving the library's own argument
    /// reduction, this keeps every result independent of its neighbours: the vectorized double sine and cosine take a
    /// different (differently rounded) path for a whole vector when any lane lies beyond π/4, which would make a value
    /// depend on where a fill starts.
    /// </remarks>
    private void StandardNormalChunk<T>(Span<T> z)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int Pairs = NormalChunk / 2;
        Span<T> radius = stackalloc T[Pairs];
        Span<T> angle = stackalloc T[Pairs];
        Span<T> cos = stackalloc T[Pairs];
        Span<byte> quadrant = stackalloc byte[Pairs];
        if (typeof(T) == typeof(float))
        {
            Span<uint> words = stackalloc uint[NormalChunk];
            Philox.Fill(_key, _counterLow, _counterHigh, words);
            SingleUniformPairs(words, MemoryMarshal.Cast<T, float>(radius), MemoryMarshal.Cast<T, float>(angle), quadrant);
        }
        else
        {
            Span<uint> words = stackalloc uint[2 * NormalChunk];
            Philox.Fill(_key, _counterLow, _counterHigh, words);
            DoubleUniformPairs(MemoryMarshal.Cast<uint, ulong>(words), MemoryMarshal.Cast<T, double>(radius),
                MemoryMarshal.Cast<T, double>(angle), quadrant);
        }

        // −2 ln u₁ = −2 ln 2 · log₂ u₁: the vectorized float log₂ is several times faster than the natural log.
        TensorPrimitives.Log2<T>(radius, radius);
        TensorPrimitives.Multiply<T>(radius, T.CreateTruncating(-2 * Ln2), radius);
        TensorPrimitives.Sqrt<T>(radius, radius);
        TensorPrimitives.Multiply<T>(angle, T.Pi / T.CreateTruncating(2), angle);
        TensorPrimitives.Cos<T>(angle, cos);
        TensorPrimitives.Sin<T>(angle, angle);
        Rotate<T>(radius, cos, angle, quadrant, z);
    }

    /// <summary>Turns word pairs into u₁ ∈ (0, 1] and the reduced angle offset, both from 24 bits.</summary>
    private static void SingleUniformPairs(ReadOnlySpan<uint> words, Span<float> u1, Span<float> offset, Span<byte> quadrant)
    {
        for (int k = 0; k < u1.Length; k++)
        {
            u1[k] = ((words[2 * k] >> 8) + 1) * SingleUnit;
            // u₂·4 = m / 2^22 with a 24-bit m; q = round(u₂·4), halves up; offset = u₂·4 − q ∈ [−1/2, 1/2), exact.
            int m = (int)(words[2 * k + 1] >> 8);
            int q = (m + (1 << 21)) >> 22;
            quadrant[k] = (byte)(q & 3);
            offset[k] = (m - (q << 22)) * (1f / (1 << 22));
        }
    }

    /// <summary>Turns 64-bit word pairs into u₁ ∈ (0, 1] and the reduced angle offset, both from 53 bits.</summary>
    private static void DoubleUniformPairs(ReadOnlySpan<ulong> words, Span<double> u1, Span<double> offset, Span<byte> quadrant)
    {
        // Each ulong is two consecutive words, the even one low (.NET targets are little-endian).
        for (int k = 0; k < u1.Length; k++)
        {
            u1[k] = ((words[2 * k] >> 11) + 1) * DoubleUnit;
            long m = (long)(words[2 * k + 1] >> 11);
            long q = (m + (1L << 50)) >> 51;
            quadrant[k] = (byte)(q & 3);
            offset[k] = (m - (q << 51)) * (1.0 / (1L << 51));
        }
    }

    /// <summary>Writes <c>r·cos θ, r·sin θ</c> per pair, with θ = q·π/2 + φ given cos φ, sin φ and q.</summary>
    private static void Rotate<T>(ReadOnlySpan<T> radius, ReadOnlySpan<T> cos, ReadOnlySpan<T> sin, ReadOnlySpan<byte> quadrant, Span<T> z)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // cos θ = a·cos φ + b·sin φ and sin θ = c·cos φ + d·sin φ with coefficients in {0, ±1}: exact, and a table
        // lookup instead of a branch that random quadrants would mispredict half the time.
        T one = T.One, zero = T.Zero;
        ReadOnlySpan<T> a = [one, zero, -one, zero];
        ReadOnlySpan<T> b = [zero, -one, zero, one];
        ReadOnlySpan<T> c = [zero, one, zero, -one];
        ReadOnlySpan<T> d = [one, zero, -one, zero];
        for (int k = 0; k < radius.Length; k++)
        {
            int q = quadrant[k];
            T r = radius[k], cosPhi = cos[k], sinPhi = sin[k];
            z[2 * k] = r * (a[q] * cosPhi + b[q] * sinPhi);
            z[2 * k + 1] = r * (c[q] * cosPhi + d[q] * sinPhi);
        }
    }
}
