using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace Framework.Serialization;

public sealed partial class TensorBundleReader
{
    /// <summary>Verifies the CRC32C of every entry without keeping its bytes, on up to <c>Threading.MaxThreads</c> threads.</summary>
    /// <param name="entries">Entries of this bundle; sliced entries are rejected.</param>
    /// <exception cref="InvalidDataException">A payload is truncated or its CRC does not match; the first such entry in
    /// <paramref name="entries"/>' order is reported, with its data file and key.</exception>
    /// <exception cref="NotSupportedException">An entry is a sliced (partitioned) tensor.</exception>
    internal void VerifyAll(IReadOnlyList<BundleEntry> entries) =>
        ParallelEntries.Run(entries.Count, i => entries[i].Size, i => Verify(entries[i]));

    /// <summary>Whether every data file this reader has opened still has the length and modification time it had then.</summary>
    /// <remarks>The handles stay open, so a checkpoint replaced by a rename (as every writer here and TensorFlow's do) is not
    /// seen by this reader at all; this catches a file rewritten in place. Linux 6.13 and later give a file modified after
    /// its time was read a new, finer timestamp, so even a change within the same clock tick shows.</remarks>
    internal bool UnchangedSinceOpened()
    {
        lock (_openLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            for (int i = 0; i < ShardCount; i++)
            {
                if (_shards[i] is { } handle && FileStamp.Of(handle) != _openedAs[i]) return false;
            }
            return true;
        }
    }

    /// <summary>Reads the payload of <paramref name="key"/> without checking its CRC again: only for entries that
    /// <see cref="VerifyAll"/> of this reader passed, while <see cref="UnchangedSinceOpened"/> holds.</summary>
    internal void ReadIntoAlreadyVerified(string key, Span<byte> destination) =>
        ReadVerified(EntryFitting(key, destination), destination, checkCrc: false);

    private void Verify(BundleEntry entry)
    {
        RejectSliced(entry);
        if (entry.DataType is DataTypes.String or DataTypes.Variant)
        {
            // Their checksums need the whole payload (lengths first); they are small and rare in model checkpoints.
            ReadVerified(entry, new byte[entry.Size]);
            return;
        }
        // No bytes are kept, so one chunk-sized buffer suffices: it stays in the core's L2 cache, and the checksum reads
        // cache, not memory; the pass costs little more than the kernel's copy out of the page cache.
        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(ChunkSize, Math.Max(entry.Size, 1)));
        try
        {
            SafeFileHandle handle = Shard(entry.ShardId);
            uint running = 0;
            for (long done = 0; done < entry.Size;)
            {
                var chunk = buffer.AsSpan(0, (int)Math.Min(buffer.Length, entry.Size - done));
                ReadExactly(handle, entry, chunk, entry.Offset + done);
                running = Crc32C.Append(running, chunk);
                done += chunk.Length;
            }
            CheckCrc(entry, running);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
