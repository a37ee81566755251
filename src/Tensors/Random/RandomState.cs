namespace Framework.Tensors;

/// <summary>The complete state of a <see cref="RandomGenerator"/>: its Philox key and 128-bit counter.</summary>
/// <remarks>
/// Restoring a state with <see cref="RandomGenerator.SetState"/> reproduces every later draw bit for bit, so a run of
/// k steps, a checkpoint, a resume and N − k more steps equals N uninterrupted steps. Checkpoints store it as three
/// int64 values (<see cref="ToArray"/>), the dtype TensorFlow uses for its generator state variable.
/// </remarks>
/// <param name="Key">The 64-bit Philox key (the seed, or a key derived by a split).</param>
/// <param name="CounterLow">The low 64 bits of the counter of the next unused 128-bit block.</param>
/// <param name="CounterHigh">The high 64 bits of that counter.</param>
public readonly record struct RandomState(ulong Key, ulong CounterLow, ulong CounterHigh)
{
    /// <summary>The number of int64 values in <see cref="ToArray"/>'s result.</summary>
    public const int ArrayLength = 3;

    /// <summary>Returns the state as <c>[Key, CounterLow, CounterHigh]</c>, each reinterpreted bit for bit as int64.</summary>
    public long[] ToArray() => [unchecked((long)Key), unchecked((long)CounterLow), unchecked((long)CounterHigh)];

    /// <summary>Reads a state written by <see cref="ToArray"/>.</summary>
    /// <param name="values">Exactly three values: key, counter low, counter high.</param>
    /// <exception cref="ArgumentException"><paramref name="values"/> does not hold exactly three values.</exception>
    public static RandomState FromArray(ReadOnlySpan<long> values)
    {
        if (values.Length != ArrayLength)
        {
            throw new ArgumentException(
                $"A random generator state has {ArrayLength} values (key, counter low, counter high); received {values.Length}.",
                nameof(values));
        }
        return new RandomState(unchecked((ulong)values[0]), unchecked((ulong)values[1]), unchecked((ulong)values[2]));
    }
}
