namespace Framework.Training;

/// <summary>When a saving callback saves: at the end of every epoch, or every N training batches.</summary>
/// <remarks>Keras spells these <c>save_freq="epoch"</c> and <c>save_freq=N</c>; batches are counted across epochs.</remarks>
/// <example><code>new ModelCheckpoint("runs/ckpt-{epoch:02d}", saveFreq: SaveFrequency.EveryBatches(500));</code></example>
public readonly record struct SaveFrequency
{
    private SaveFrequency(int batches) => Batches = batches;

    /// <summary>Save at the end of every epoch (the default).</summary>
    public static SaveFrequency Epoch => default;

    /// <summary>Save after every <paramref name="batches"/> training batches.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batches"/> is not positive.</exception>
    public static SaveFrequency EveryBatches(int batches)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batches);
        return new SaveFrequency(batches);
    }

    /// <summary>The batch interval, or 0 for <see cref="Epoch"/>.</summary>
    public int Batches { get; }

    /// <summary>Whether saving happens at epoch ends.</summary>
    public bool IsPerEpoch => Batches == 0;

    /// <inheritdoc/>
    public override string ToString() => IsPerEpoch ? "epoch" : $"every {Batches} batches";
}
