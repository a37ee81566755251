namespace Framework.Tensors.Storage;

/// <summary>Pooled host buffers of 2 MiB or more whose usable bytes start on a huge-page boundary and are advised as huge pages.</summary>
/// <remarks>
/// <para>Why not <c>ArrayPool</c>: its arrays lie back to back on the large-object heap, each starting just past a 2 MiB
/// boundary with the object header, so the kernel can back at most the whole 2 MiB pages inside them, and a
/// 1000×1000 float tensor (3.8 MiB) contains none. Here each buffer is a pinned array with one huge page of slack, and
/// the usable range starts at the first 2 MiB boundary inside it, so every page of it can be a huge page. Pinned arrays
/// never move, so the boundary stays put, and they stay managed: a span over one keeps it alive like any array.</para>
/// <para>Sizes are rounded up to whole huge pages; each size keeps up to <see cref="MaxPooledPerSize"/> returned buffers,
/// and all sizes together at most <see cref="MaxPooledBytes"/>, so a training step that frees and re-creates the same
/// large temporaries reuses them without allocating. Buffers beyond the limits are left to the garbage collector.</para>
/// <para>The cost: each buffer's array is one huge page longer than its usable part. The slack is never touched, so it
/// takes no physical memory, but the runtime counts it as committed (against a container's GC heap limit, for one);
/// <c>ArrayPool</c>'s rounding to powers of two wastes as much or more for most sizes.</para>
/// </remarks>
internal static class HugePageBuffers
{
    /// <summary>Returned buffers kept per size.</summary>
    public const int MaxPooledPerSize = 16;

    /// <summary>The most bytes kept in the pool across all sizes: an eighth of the memory the runtime may use.</summary>
    public static readonly long MaxPooledBytes = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 8;

    private static readonly Dictionary<long, Stack<Buffer>> s_free = [];
    private static readonly Lock s_lock = new();
    private static long s_pooledBytes;

    /// <summary>A pinned array and the byte offset in it of <see cref="Capacity"/> usable bytes that start on a huge-page boundary.</summary>
    public readonly record struct Buffer(byte[] Array, int Offset, long Capacity);

    /// <summary>A buffer of at least <paramref name="bytes"/> bytes whose contents are unspecified, or null when huge pages
    /// are off or the size is below one huge page or beyond what one array can hold.</summary>
    public static Buffer? Rent(long bytes)
    {
        if (!HugePages.Enabled || bytes < HugePages.PageSize) return null;
        long capacity = RoundUp(bytes);
        if (capacity + HugePages.PageSize > Array.MaxLength) return null;
        lock (s_lock)
        {
            if (s_free.TryGetValue(capacity, out var stack) && stack.TryPop(out var reused))
            {
                s_pooledBytes -= capacity;
                return reused;
            }
        }
        return Allocate(capacity);
    }

    /// <summary>Gives a buffer from <see cref="Rent"/> back to the pool.</summary>
    public static void Return(Buffer buffer)
    {
        lock (s_lock)
        {
            if (!s_free.TryGetValue(buffer.Capacity, out var stack)) s_free[buffer.Capacity] = stack = new Stack<Buffer>(MaxPooledPerSize);
            if (stack.Count >= MaxPooledPerSize || s_pooledBytes + buffer.Capacity > MaxPooledBytes) return;
            stack.Push(buffer);
            s_pooledBytes += buffer.Capacity;
        }
    }

    /// <summary><paramref name="bytes"/> rounded up to whole huge pages.</summary>
    public static long RoundUp(long bytes) => (bytes + HugePages.PageSize - 1) & ~(HugePages.PageSize - 1);

    private static unsafe Buffer Allocate(long capacity)
    {
        // Uninitialized: fresh memory is untouched until the tensor's first write, which then faults in whole huge pages.
        byte[] array = GC.AllocateUninitializedArray<byte>((int)(capacity + HugePages.PageSize), pinned: true);
        fixed (byte* data = array)
        {
            long address = (long)data;
            int offset = (int)(RoundUp(address) - address);
            HugePages.Advise((nint)(data + offset), capacity);
            return new Buffer(array, offset, capacity);
        }
    }
}
