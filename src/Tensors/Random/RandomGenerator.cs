using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Framework.Tensors;

/// <summary>A seeded, splittable random generator over Philox4x32-10 whose whole state is a key and a counter.</summary>
/// <remarks>
/// <para>
/// Every draw turns the counter into 128-bit blocks (four 32-bit words) and then advances the counter past them.
/// A call always consumes whole blocks and discards the words it does not use, so the state is exactly
/// <see cref="RandomState"/> and nothing is buffered between calls. Scalar draws use one block each (a rejected
/// <see cref="NextInt"/> sample may use more; a shuffle one per position). Bulk fills take value <c>i</c> from block
/// <c>i / 4</c> of the fill for float and <c>i / 2</c> for double, so they are split-invariant at block boundaries:
/// filling 8 then 12 floats gives the same values as filling 20, while filling 10 then 10 does not (the first fill
/// discards the last two words of its third block). Truncated normal fills are the exception: re-drawing makes their
/// counter use depend on the values, so only a whole fill is reproducible.
/// </para>
/// <para>
/// Uniform, Bernoulli and shuffle results are pure integer and IEEE arithmetic and are identical on every platform.
/// Normal and truncated normal results go through vectorized logarithm, sine and cosine; they are bit-identical
/// for a given machine and runtime, which is what checkpoint resumption needs, but may differ in the last bit
/// between CPUs with different vector widths.
/// </para>
/// <para>An instance is not thread-safe: give each thread its own generator, for example through <see cref="Split(int)"/>.</para>
/// </remarks>
/// <example>
/// <code>
/// RandomGenerator.SetGlobalSeed(42);
/// var init = RandomGenerator.Global.Split("dense_1/kernel");
/// float[] kernel = new float[784 * 128];
/// init.FillUniform(kernel, -0.08f, 0.08f);
/// long[] saved = init.GetState().ToArray();   // store in the checkpoint
/// </code>
/// </example>
public sealed partial class RandomGenerator
{
    // Domain tags keep the key derivations of Split(string) and Split(int) apart, so Split("1") never equals Split(1).
    private const byte PurposeDomain = 0x01;
    private const byte IndexDomain = 0x02;

    private static readonly RandomGenerator s_global = new(unchecked((long)EntropySeed()));

    private ulong _key;
    private ulong _counterLow;
    private ulong _counterHigh;

    /// <summary>Creates a generator whose key is the seed's bits and whose counter is zero.</summary>
    /// <param name="seed">Any value; equal seeds give equal sequences on every platform.</param>
    public RandomGenerator(long seed)
        : this(new RandomState(unchecked((ulong)seed), 0, 0))
    {
    }

    /// <summary>Creates a generator at a saved state, for example one read from a checkpoint.</summary>
    /// <param name="state">The state to continue from.</param>
    public RandomGenerator(RandomState state) => SetState(state);

    /// <summary>The process-wide default generator; unpredictable until <see cref="SetGlobalSeed"/> is called.</summary>
    /// <remarks>
    /// Like every instance it is not thread-safe. <see cref="SetGlobalSeed"/> resets this same instance, so a
    /// reference taken earlier follows the new seed.
    /// </remarks>
    public static RandomGenerator Global => s_global;

    /// <summary>Reseeds <see cref="Global"/>, like <c>keras.utils.set_random_seed</c>: key = seed, counter = 0.</summary>
    /// <param name="seed">Any value.</param>
    public static void SetGlobalSeed(long seed) => s_global.SetState(new RandomState(unchecked((ulong)seed), 0, 0));

    /// <summary>Returns the current key and counter; <see cref="SetState"/> with it later replays every later draw.</summary>
    public RandomState GetState() => new(_key, _counterLow, _counterHigh);

    /// <summary>Replaces the key and counter.</summary>
    /// <param name="state">Any state; typically one from <see cref="GetState"/> or <see cref="RandomState.FromArray"/>.</param>
    public void SetState(RandomState state)
    {
        _key = state.Key;
        _counterLow = state.CounterLow;
        _counterHigh = state.CounterHigh;
    }

    /// <summary>Returns an independent child generator for a named purpose, without advancing this one.</summary>
    /// <remarks>
    /// The child key is the first 8 bytes (little-endian) of SHA-256 over this key (8 bytes little-endian), the
    /// byte 0x01, and the UTF-8 purpose; its counter starts at zero. The same parent key and purpose always give the
    /// same child, in every process (unlike <see cref="string.GetHashCode()"/>, which is randomized per process).
    /// </remarks>
    /// <param name="purpose">A stable name such as <c>"dropout"</c> or a variable path.</param>
    /// <exception cref="ArgumentNullException"><paramref name="purpose"/> is null.</exception>
    public RandomGenerator Split(string purpose)
    {
        ArgumentNullException.ThrowIfNull(purpose);
        byte[] message = new byte[9 + Encoding.UTF8.GetByteCount(purpose)];
        BinaryPrimitives.WriteUInt64LittleEndian(message, _key);
        message[8] = PurposeDomain;
        Encoding.UTF8.GetBytes(purpose, message.AsSpan(9));
        return DeriveChild(message);
    }

    /// <summary>Returns the independent child generator number <paramref name="index"/>, without advancing this one.</summary>
    /// <remarks>
    /// As <see cref="Split(string)"/>, with the byte 0x02 and the index as 4 bytes little-endian in place of the
    /// UTF-8 purpose.
    /// </remarks>
    /// <param name="index">Any value; typically a worker or replica number.</param>
    public RandomGenerator Split(int index)
    {
        Span<byte> message = stackalloc byte[13];
        BinaryPrimitives.WriteUInt64LittleEndian(message, _key);
        message[8] = IndexDomain;
        BinaryPrimitives.WriteInt32LittleEndian(message[9..], index);
        return DeriveChild(message);
    }

    /// <summary>Returns word 0 of the next block.</summary>
    public uint NextUInt32()
    {
        NextBlock(out uint x0, out _, out _, out _);
        return x0;
    }

    /// <summary>Returns words 0 and 1 of the next block as <c>x0 | x1 &lt;&lt; 32</c>.</summary>
    public ulong NextUInt64()
    {
        NextBlock(out uint x0, out uint x1, out _, out _);
        return x0 | (ulong)x1 << 32;
    }

    /// <summary>Returns an unbiased integer in <c>[0, exclusiveMax)</c>.</summary>
    /// <remarks>
    /// Lemire's multiply-and-reject method: word w maps to <c>(w · exclusiveMax) &gt;&gt; 32</c> unless the low half
    /// of the product falls in the biased zone, in which case the next word of the block is tried, then the next block.
    /// </remarks>
    /// <param name="exclusiveMax">The exclusive upper bound; must be positive.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="exclusiveMax"/> is zero or negative.</exception>
    public int NextInt(int exclusiveMax)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exclusiveMax);
        return (int)NextBounded((uint)exclusiveMax);
    }

    /// <summary>Returns a uniform double in <c>[0, 1)</c> from the top 53 bits of <see cref="NextUInt64"/>.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * DoubleUnit;

    /// <summary>Returns a uniform float in <c>[0, 1)</c> from the top 24 bits of <see cref="NextUInt32"/>.</summary>
    public float NextSingle() => (NextUInt32() >> 8) * SingleUnit;

    /// <summary>Shuffles <paramref name="values"/> in place with Fisher–Yates, drawing one <see cref="NextInt"/> per position from the end.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="values">The values to permute; every permutation is equally likely.</param>
    public void Shuffle<T>(Span<T> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = (int)NextBounded((uint)i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    /// <summary>Returns <c>0, 1, ..., n − 1</c> in random order (<see cref="Shuffle{T}"/> over the identity).</summary>
    /// <param name="n">The number of elements; must be non-negative.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is negative.</exception>
    public int[] Permutation(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        int[] result = new int[n];
        for (int i = 0; i < n; i++) result[i] = i;
        Shuffle<int>(result);
        return result;
    }

    private uint NextBounded(uint bound)
    {
        // The biased zone is the 2^32 mod bound smallest low halves; computing it costs a division, so only on a hit.
        uint threshold = 0;
        bool haveThreshold = false;
        while (true)
        {
            NextBlock(out uint x0, out uint x1, out uint x2, out uint x3);
            foreach (uint word in (ReadOnlySpan<uint>)[x0, x1, x2, x3])
            {
                ulong product = (ulong)word * bound;
                uint low = (uint)product;
                if (low < bound)
                {
                    if (!haveThreshold)
                    {
                        threshold = (0u - bound) % bound;
                        haveThreshold = true;
                    }
                    if (low < threshold) continue;
                }
                return (uint)(product >> 32);
            }
        }
    }

    private void NextBlock(out uint x0, out uint x1, out uint x2, out uint x3)
    {
        Philox.Block(_key, _counterLow, _counterHigh, out x0, out x1, out x2, out x3);
        Advance(1);
    }

    private void Advance(ulong blocks) => (_counterLow, _counterHigh) = Philox.Offset(_counterLow, _counterHigh, blocks);

    private static RandomGenerator DeriveChild(ReadOnlySpan<byte> message)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(message, digest);
        ulong key = BinaryPrimitives.ReadUInt64LittleEndian(digest);
        return new RandomGenerator(new RandomState(key, 0, 0));
    }

    private static ulong EntropySeed()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return BinaryPrimitives.ReadUInt64LittleEndian(bytes);
    }
}
